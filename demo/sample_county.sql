-- A small sample county: 上虞区 (330604), fifteen industrial parcels in a
-- Gauss-Krüger zone-40 projection (EPSG:4549, CGCS2000), one holder each,
-- with last year's tax (万元).  Names are invented; codes are well-formed:
-- USCCs pass GB 32100, parcel codes follow GB/T 37346 (county 330604,
-- 地籍区 001, 地籍子区 003, 宗地特征码 GB, 5-digit number).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS demo CASCADE;
CREATE SCHEMA demo;

CREATE TABLE demo.firm (
    uscc parcel_gov.uscc PRIMARY KEY,
    name text NOT NULL,
    tax  double precision NOT NULL          -- 万元, last year
);

CREATE TABLE demo.parcel (
    code   text PRIMARY KEY,
    holder parcel_gov.uscc NOT NULL REFERENCES demo.firm,
    geom   geometry(MultiPolygon, 4549) NOT NULL
);

INSERT INTO demo.firm (uscc, name, tax) VALUES
  ('9133060452601815X5', '浙江虞舜精密机械有限公司',     620),
  ('913306049083016635', '绍兴曹娥江化纤有限公司',       310),
  ('91330604131860916E', '上虞龙山电子科技有限公司',     980),
  ('913306043909960336', '浙江杭州湾新材料股份有限公司', 1450),
  ('91330604082462814U', '上虞百官五金制品有限公司',       24),
  ('91330604948219939W', '绍兴东关纺织印染有限公司',      150),
  ('91330604518190937D', '浙江丰惠轴承有限公司',          210),
  ('91330604786579754F', '上虞章镇包装有限公司',           36),
  ('913306044323194885', '浙江盖北医药化工有限公司',     1320),
  ('9133060475749118X1', '上虞崧厦伞业有限公司',           88),
  ('91330604625276015B', '绍兴永和塑料制品有限公司',       60),
  ('91330604895559795E', '浙江沥海新能源有限公司',        760),
  ('91330604711471044W', '上虞驿亭食品有限公司',          130),
  ('913306049746507573', '上虞小越建材有限公司',            9),
  ('92330604MA2BXQ4L9T', '上虞梁湖铸件加工部',              3);

-- Parcels as rectangles (x0, y0, width, height in metres) on a grid east of
-- the 曹娥江; one L-shaped parcel and one in two parts.
INSERT INTO demo.parcel (code, holder, geom)
SELECT code, holder, ST_Multi(ST_MakeEnvelope(x0, y0, x0 + w, y0 + h, 4549))
FROM (VALUES
  ('330604001003GB00001', '9133060452601815X5', 583000, 3323000, 200, 150),
  ('330604001003GB00002', '913306049083016635', 583220, 3323000, 150, 150),
  ('330604001003GB00003', '91330604131860916E', 583390, 3323000, 180, 100),
  ('330604001003GB00004', '913306043909960336', 583000, 3323170, 300, 200),
  ('330604001003GB00006', '91330604948219939W', 583520, 3323170, 100, 120),
  ('330604001003GB00007', '91330604518190937D', 583000, 3323390, 120, 120),
  ('330604001003GB00008', '91330604786579754F', 583140, 3323390,  80,  60),
  ('330604001003GB00009', '913306044323194885', 583240, 3323390, 250, 160),
  ('330604001003GB00010', '9133060475749118X1', 583510, 3323390,  90,  90),
  ('330604001003GB00011', '91330604625276015B', 583000, 3323570, 100,  75),
  ('330604001003GB00012', '91330604895559795E', 583120, 3323570, 200, 100),
  ('330604001003GB00013', '91330604711471044W', 583340, 3323570,  60,  80),
  ('330604001003GB00014', '913306049746507573', 583420, 3323570,  40,  50)
) AS p(code, holder, x0, y0, w, h);

-- An L-shaped parcel: a 150 × 100 m block plus a 50 × 60 m wing.
INSERT INTO demo.parcel VALUES
  ('330604001003GB00005', '91330604082462814U',
   ST_Multi(ST_Union(ST_MakeEnvelope(583320, 3323170, 583470, 3323270, 4549),
                     ST_MakeEnvelope(583320, 3323270, 583370, 3323330, 4549))));
-- A workshop on two separate plots across a lane.
INSERT INTO demo.parcel VALUES
  ('330604001003GB00015', '92330604MA2BXQ4L9T',
   ST_Collect(ST_MakeEnvelope(583480, 3323570, 583510, 3323600, 4549),
              ST_MakeEnvelope(583520, 3323570, 583540, 3323600, 4549)));
