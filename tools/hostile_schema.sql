-- A hostile schema for tools/check-search-path.sh: functions and operators
-- with the names and argument types of those parcel_gov's scripts and
-- functions use, in a schema put ahead of pg_catalog.  Each one notes its
-- call in hostile.calls and then behaves as the real one, so a hijacked call
-- is caught by the record, not by a wrong answer.
CREATE SCHEMA hostile;
CREATE TABLE hostile.calls (fn text, query text DEFAULT pg_catalog.current_query(), at timestamptz DEFAULT pg_catalog.clock_timestamp());
GRANT USAGE ON SCHEMA hostile TO PUBLIC;
GRANT INSERT ON hostile.calls TO PUBLIC;
CREATE FUNCTION hostile.noted(fn text) RETURNS void LANGUAGE sql AS $$ INSERT INTO hostile.calls (fn) VALUES (fn) $$;

CREATE FUNCTION hostile.starts_with(a text, b text) RETURNS boolean LANGUAGE sql
AS $$ SELECT hostile.noted('starts_with'); SELECT pg_catalog.starts_with(a, b) $$;
CREATE FUNCTION hostile.upper(a text) RETURNS text LANGUAGE sql AS $$ SELECT hostile.noted('upper'); SELECT pg_catalog.upper(a) $$;
CREATE FUNCTION hostile.lower(a text) RETURNS text LANGUAGE sql AS $$ SELECT hostile.noted('lower'); SELECT pg_catalog.lower(a) $$;
CREATE FUNCTION hostile.btrim(a text) RETURNS text LANGUAGE sql AS $$ SELECT hostile.noted('btrim'); SELECT pg_catalog.btrim(a) $$;
CREATE FUNCTION hostile.length(a text) RETURNS integer LANGUAGE sql AS $$ SELECT hostile.noted('length'); SELECT pg_catalog.length(a) $$;
CREATE FUNCTION hostile.left(a text, n integer) RETURNS text LANGUAGE sql AS $$ SELECT hostile.noted('left'); SELECT pg_catalog.left(a, n) $$;
CREATE FUNCTION hostile.round(a numeric, n integer) RETURNS numeric LANGUAGE sql AS $$ SELECT hostile.noted('round'); SELECT pg_catalog.round(a, n) $$;
CREATE FUNCTION hostile.abs(a double precision) RETURNS double precision LANGUAGE sql AS $$ SELECT hostile.noted('abs'); SELECT pg_catalog.abs(a) $$;
CREATE FUNCTION hostile.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT hostile.noted('now'); SELECT pg_catalog.now() $$;
CREATE FUNCTION hostile.clock_timestamp() RETURNS timestamptz LANGUAGE sql AS $$ SELECT hostile.noted('clock_timestamp'); SELECT pg_catalog.clock_timestamp() $$;
CREATE FUNCTION hostile.hashtext(a text) RETURNS integer LANGUAGE sql AS $$ SELECT hostile.noted('hashtext'); SELECT pg_catalog.hashtext(a) $$;
CREATE FUNCTION hostile.pg_has_role(r name, p text) RETURNS boolean LANGUAGE sql AS $$ SELECT hostile.noted('pg_has_role'); SELECT pg_catalog.pg_has_role(r, p) $$;
CREATE FUNCTION hostile.make_date(y integer, m integer, d integer) RETURNS date LANGUAGE sql AS $$ SELECT hostile.noted('make_date'); SELECT pg_catalog.make_date(y, m, d) $$;
CREATE FUNCTION hostile.cardinality(a anyarray) RETURNS integer LANGUAGE sql AS $$ SELECT hostile.noted('cardinality'); SELECT pg_catalog.cardinality(a) $$;
CREATE FUNCTION hostile.array_position(a anycompatiblearray, e anycompatible) RETURNS integer LANGUAGE sql AS $$ SELECT hostile.noted('array_position'); SELECT pg_catalog.array_position(a, e) $$;
CREATE FUNCTION hostile.greatest_of(a double precision, b double precision) RETURNS double precision LANGUAGE sql AS $$ SELECT pg_catalog.float8larger(a, b) $$;

CREATE FUNCTION hostile.text_eq(a text, b text) RETURNS boolean LANGUAGE sql AS $$ SELECT hostile.noted('= text'); SELECT pg_catalog.texteq(a, b) $$;
CREATE OPERATOR hostile.= (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.text_eq);
CREATE FUNCTION hostile.int_eq(a integer, b integer) RETURNS boolean LANGUAGE sql AS $$ SELECT hostile.noted('= int'); SELECT pg_catalog.int4eq(a, b) $$;
CREATE OPERATOR hostile.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = hostile.int_eq);
CREATE FUNCTION hostile.float_lt(a double precision, b double precision) RETURNS boolean LANGUAGE sql AS $$ SELECT hostile.noted('< float8'); SELECT pg_catalog.float8lt(a, b) $$;
CREATE OPERATOR hostile.< (LEFTARG = double precision, RIGHTARG = double precision, FUNCTION = hostile.float_lt);
CREATE FUNCTION hostile.text_cat(a text, b text) RETURNS text LANGUAGE sql AS $$ SELECT hostile.noted('|| text'); SELECT pg_catalog.textcat(a, b) $$;
CREATE OPERATOR hostile.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.text_cat);
CREATE FUNCTION hostile.starts(a text, b text) RETURNS boolean LANGUAGE sql AS $$ SELECT hostile.noted('^@'); SELECT pg_catalog.starts_with(a, b) $$;
CREATE OPERATOR hostile.^@ (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.starts);

-- PostGIS, which lives in public: the same trick one schema earlier.
CREATE FUNCTION hostile.st_transform(g public.geometry, srid integer) RETURNS public.geometry LANGUAGE sql
AS $$ SELECT hostile.noted('st_transform'); SELECT public.st_transform(g, srid) $$;
CREATE FUNCTION hostile.st_area(g public.geometry) RETURNS double precision LANGUAGE sql
AS $$ SELECT hostile.noted('st_area'); SELECT public.st_area(g) $$;
CREATE FUNCTION hostile.st_makeenvelope(a float8, b float8, c float8, d float8, srid integer) RETURNS public.geometry LANGUAGE sql
AS $$ SELECT hostile.noted('st_makeenvelope'); SELECT public.st_makeenvelope(a, b, c, d, srid) $$;
CREATE FUNCTION hostile.st_multi(g public.geometry) RETURNS public.geometry LANGUAGE sql
AS $$ SELECT hostile.noted('st_multi'); SELECT public.st_multi(g) $$;
CREATE FUNCTION hostile.st_srid(g public.geometry) RETURNS integer LANGUAGE sql
AS $$ SELECT hostile.noted('st_srid'); SELECT public.st_srid(g) $$;
CREATE FUNCTION hostile.st_isvalid(g public.geometry) RETURNS boolean LANGUAGE sql
AS $$ SELECT hostile.noted('st_isvalid'); SELECT public.st_isvalid(g) $$;
CREATE FUNCTION hostile.st_pointonsurface(g public.geometry) RETURNS public.geometry LANGUAGE sql
AS $$ SELECT hostile.noted('st_pointonsurface'); SELECT public.st_pointonsurface(g) $$;
