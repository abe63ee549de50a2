"""Every spatial view as QGIS 3.22 opens it (PostGIS layer, key fid), as the
county analyst: valid, EPSG:4490, MultiPolygon, every row and every column
(QGIS drops a column of a type it does not know and says so in its message
log), and no editing offered.  Then the view through a superuser's layer:
QGIS offers editing, and the database refuses the save.  Then the parcels
table as a GIS editor (a county operator) edits it.  Last, the demo
county's 2024 map by grade_label, written to the work folder (and to
docs/img/qgis-demo.png with UPDATE_DOCS=1).
Prints "ok - ..." / "not ok - ...".  Run with QT_QPA_PLATFORM=offscreen."""
import os
import shutil
import sys

import psycopg2
from PIL import Image, ImageDraw, ImageFont
from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsCoordinateReferenceSystem,
                       QgsCoordinateTransform, QgsDataSourceUri, QgsFeatureRequest, QgsFillSymbol, QgsGeometry,
                       QgsMapRendererParallelJob, QgsMapSettings, QgsProject, QgsRendererCategory, QgsVectorDataProvider,
                       QgsVectorLayer, QgsWkbTypes)
from qgis.PyQt.QtCore import QSize, QVariant
from qgis.PyQt.QtGui import QColor

env = os.environ
failed = 0


def check(good, what):
    global failed
    print(("ok - " if good else "not ok - ") + what, flush=True)
    failed += not good


EDITS = (QgsVectorDataProvider.AddFeatures | QgsVectorDataProvider.ChangeAttributeValues
         | QgsVectorDataProvider.DeleteFeatures | QgsVectorDataProvider.ChangeGeometries)

app = QgsApplication([], False)
app.setPrefixPath('/usr', True)
app.initQgis()
messages = []
QgsApplication.messageLog().messageReceived.connect(lambda text, tag, level: messages.append(f'{tag}: {text}'))

db = psycopg2.connect(host=env['CLIENT_HOST'], port=env['CLIENTS_PORT'], dbname=env['CLIENT_DB'],
                      user=env['CLIENT_USER'], password=env['CLIENT_PASSWORD'], sslmode='disable')
db.autocommit = True   # each query sees what QGIS saved
sql = db.cursor()


def query(text, *args):
    sql.execute(text, args)
    return sql.fetchall()


def layer_of(view, login='analyst', key='fid'):
    """The layer as the README's QGIS connection opens it."""
    uri = QgsDataSourceUri()
    if login == 'superuser':   # the cluster's, on its socket
        uri.setConnection(env['SUPER_SOCKET'], env['CLIENTS_PORT'], env['CLIENT_DB'], env['SUPER_USER'], '')
    else:
        user, password = (env['CLIENT_USER'], env['CLIENT_PASSWORD']) if login == 'analyst' else \
                         (env['EDITOR_USER'], env['EDITOR_PASSWORD'])
        uri.setConnection(env['CLIENT_HOST'], env['CLIENTS_PORT'], env['CLIENT_DB'], user, password,
                          QgsDataSourceUri.SslDisable)
    uri.setDataSource('parcel_gov', view, 'geom', '', key)
    uri.setUseEstimatedMetadata(False)
    return QgsVectorLayer(uri.uri(False), view, 'postgres')


# the project's grade colours (map_svg's), by the label the layer shows;
# '' is QGIS's "all other values": the parcels not graded
GRADE_COLOURS = query("SELECT coalesce(parcel_gov.label(grade::parcel_gov.grade), ''), colour, label "
                      "FROM parcel_gov.map_grade_key() ORDER BY n")

views = [v for (v,) in query("SELECT f_table_name FROM geometry_columns WHERE f_table_schema = 'parcel_gov' "
                             "AND f_table_name LIKE 'v\\_%%' ORDER BY 1")]
check(views == ['v_low_efficiency_clusters', 'v_parcel_efficiency', 'v_park_ranking', 'v_register'],
      f'the four spatial views in geometry_columns {views}')

print('# data source:', layer_of('v_parcel_efficiency').source().replace(env['CLIENT_PASSWORD'], '…'))
for view in views:
    messages.clear()
    layer = layer_of(view)
    check(layer.isValid(), f'{view}: a valid layer')
    if not layer.isValid():
        print('\n'.join(messages))
        continue
    check(layer.crs().authid() == 'EPSG:4490', f'{view}: CRS {layer.crs().authid()}')
    check(layer.wkbType() == QgsWkbTypes.MultiPolygon, f'{view}: {QgsWkbTypes.displayString(layer.wkbType())}')
    (rows,) = query(f'SELECT count(*) FROM parcel_gov.{view}')[0]
    check(rows > 0 and layer.featureCount() == rows, f'{view}: {layer.featureCount()} features, SQL {rows}')
    columns = [c for (c,) in query("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                                   "AND NOT attisdropped AND attname <> 'geom' ORDER BY attnum", f'parcel_gov.{view}')]
    fields = [f.name() for f in layer.fields()]
    check(fields == columns, f'{view}: every column a field ({len(fields)} of {len(columns)})')
    keys = [layer.fields()[i].name() for i in layer.dataProvider().pkAttributeIndexes()]
    fids = {f['fid'] for f in layer.getFeatures()}
    check(keys == ['fid'] and len(fids) == rows, f'{view}: keyed by fid {keys}, {len(fids)} distinct')
    ignored = [m for m in messages if 'ignored' in m or 'unsupported' in m]
    check(not ignored, f'{view}: no field ignored in the message log {ignored}')
    caps = layer.dataProvider().capabilities()
    check(not caps & EDITS, f'{view}: no add, change or delete offered to {env["CLIENT_USER"]} '
                            f'({layer.dataProvider().capabilitiesString()})')

# A list column reads as a list, and its labels beside it.
layer = layer_of('v_parcel_efficiency')
kinds = layer.fields().field('kinds')
check(kinds.type() == QVariant.StringList, f'v_parcel_efficiency.kinds is a string list ({kinds.typeName()})')
layer.setSubsetString("code = '330604001001GB00002' AND year = 2023")
f = next(layer.getFeatures())
check(list(f['kinds']) == ['low_per_mu', 'grade_d'] and f['kind_labels_text'] == '亩均税收低、评价D类',
      f"330604001001GB00002's kinds {list(f['kinds'])}, {f['kind_labels_text']}")

# A superuser passes every privilege check, so QGIS offers editing; the
# database refuses the save, as the views are not updatable.
layer = layer_of('v_parcel_efficiency', 'superuser')
caps = layer.dataProvider().capabilities()
print(f'# superuser: {layer.dataProvider().capabilitiesString()}')
feature = next(layer.getFeatures())
fid = feature['fid']
(before,) = query('SELECT holder_name FROM parcel_gov.v_parcel_efficiency WHERE fid = %s', fid)[0]
layer.startEditing()
layer.changeAttributeValue(feature.id(), layer.fields().indexOf('holder_name'), 'edited in QGIS')
saved = layer.commitChanges()
errors = ' '.join(layer.commitErrors())
layer.rollBack()
(after,) = query('SELECT holder_name FROM parcel_gov.v_parcel_efficiency WHERE fid = %s', fid)[0]
check(bool(caps & EDITS) and not saved and 'cannot update view' in errors and after == before,
      'a superuser is offered editing, and the database refuses the save: '
      + errors[errors.find('cannot update view'):].split('\n')[0])

# A GIS editor (a county operator) edits the parcels table: QGIS offers it,
# a new outline is saved and its area computed; a 宗地代码 of another county
# is refused by the table's trigger.  The analyst is offered nothing there.
parcels = layer_of('parcel', 'analyst', 'code')
check(not parcels.dataProvider().capabilities() & EDITS,
      'parcel_gov.parcel: no editing offered to the analyst')
parcels = layer_of('parcel', 'editor', 'code')
caps = parcels.dataProvider().capabilities()
check(caps & EDITS == EDITS, f'parcel_gov.parcel: add, change and delete offered to {env["EDITOR_USER"]}')
parcels.setSubsetString("code = '330604001001GB00001'")
feature = next(parcels.getFeatures())
outline = feature.geometry()
box = outline.boundingBox()
box.setYMaximum((box.yMinimum() + box.yMaximum()) / 2)   # its southern half
half = QgsGeometry.fromRect(box)
half.convertToMultiType()
parcels.startEditing()
parcels.changeGeometry(feature.id(), half)
saved = parcels.commitChanges()
((area, want),) = query("SELECT area_mu, parcel_gov.area_mu(geom) FROM parcel_gov.parcel WHERE code = '330604001001GB00001'")
check(saved and abs(area - want) < 1e-9 and abs(area - feature['area_mu'] / 2) < 0.01 * area,
      f'the editor saves a new outline: area_mu {feature["area_mu"]:.2f} → {area:.2f} 亩, computed {want:.2f}')
parcels.startEditing()
parcels.changeGeometry(feature.id(), outline)
parcels.changeAttributeValue(feature.id(), parcels.fields().indexOf('code'), '330602001001GB00001')
saved = parcels.commitChanges()
errors = ' '.join(parcels.commitErrors())
parcels.rollBack()
(area,) = query("SELECT area_mu FROM parcel_gov.parcel WHERE code = '330604001001GB00001'")[0]
check(not saved and 'does not name region' in errors and abs(area - want) < 1e-9,
      'a 宗地代码 of another county is refused, nothing saved: '
      + errors[errors.find('parcel code'):].split('\n')[0])
parcels.startEditing()
parcels.changeGeometry(feature.id(), outline)
check(parcels.commitChanges(), 'the editor puts the outline back')

# The demo county's largest park in 2024, parcels by grade, over the parks'
# outlines and the county's outline (its name in the key), in the CGCS2000 3° zone of
# 120°E (EPSG:4549), so shapes are true; the key in a column to the right.
layer = layer_of('v_parcel_efficiency')
layer.setSubsetString('year = 2024')
categories = []
for value, colour, label in GRADE_COLOURS:
    symbol = QgsFillSymbol.createSimple({'color': colour, 'outline_color': '#5a5a5a', 'outline_width': '0.1'})
    categories.append(QgsRendererCategory(value, symbol, label))
layer.setRenderer(QgsCategorizedSymbolRenderer('grade_label', categories))
parks = layer_of('v_park_ranking')
parks.setSubsetString('year = 2024')
parks.renderer().setSymbol(QgsFillSymbol.createSimple({'color': '#ffffff', 'outline_color': '#404040',
                                                        'outline_width': '0.4', 'outline_style': 'dash'}))
# the county's outline is a table keyed by its code
county = layer_of('region_boundary', key='region_code')
county.renderer().setSymbol(QgsFillSymbol.createSimple({'color': '#f3f3ef', 'outline_color': '#9a9a9a',
                                                         'outline_width': '0.5'}))
check(county.isValid() and county.featureCount() == 1, 'the county outline (region_boundary) opens by its code')
settings = QgsMapSettings()
settings.setLayers([layer, parks, county])   # the first on top
zone = QgsCoordinateReferenceSystem('EPSG:4549')
settings.setDestinationCrs(zone)
largest = QgsFeatureRequest().setFilterExpression("year = 2024").addOrderBy('area_mu', False).setLimit(1)
park = next(parks.getFeatures(largest))
extent = QgsCoordinateTransform(parks.crs(), zone, QgsProject.instance()).transformBoundingBox(
    park.geometry().boundingBox())
extent.scale(1.15)
settings.setExtent(extent)
settings.setOutputSize(QSize(900, 700))
settings.setBackgroundColor(QColor('white'))
job = QgsMapRendererParallelJob(settings)
job.start()
job.waitForFinished()
png = os.path.join(env['CLIENT_WORK'], 'qgis-demo.png')
job.renderedImage().save(png, 'png')
image = Image.open(png).convert('RGB')
counts = image.getcolors(image.width * image.height)
present = {c for n, c in counts if n >= 50}
seen = [label for _, colour, label in GRADE_COLOURS if QColor(colour).getRgb()[:3] in present]
check(len(seen) == 5, f'the render {image.size} shows every grade colour {seen}')

# the key, in a column to the right of the map
page = Image.new('RGB', (image.width + 300, image.height), 'white')
page.paste(image, (0, 0))
font = ImageFont.truetype('/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', 18)
small = ImageFont.truetype('/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', 14)
draw = ImageDraw.Draw(page)
draw.line((image.width, 0, image.width, image.height), fill='#cccccc')
x = image.width + 20
draw.text((x, 24), '上虞区 2024', fill='black', font=font)
draw.text((x, 52), f'{park["name"]}', fill='black', font=small)
draw.text((x, 74), 'v_parcel_efficiency · grade_label', fill='#555555', font=small)
for i, (_, colour, label) in enumerate(GRADE_COLOURS):
    y = 116 + i * 30
    draw.rectangle((x, y, x + 24, y + 18), fill=colour, outline='#5a5a5a')
    draw.text((x + 34, y - 2), label, fill='black', font=font)
draw.text((x, image.height - 60), 'QGIS 3.22 · EPSG:4549', fill='#555555', font=small)
draw.text((x, image.height - 38), 'CGCS2000 3° Gauss-Krüger 120°E', fill='#555555', font=small)
page.save(png)
if env.get('UPDATE_DOCS') == '1':
    os.makedirs('docs/img', exist_ok=True)
    shutil.copy(png, 'docs/img/qgis-demo.png')
    print('# wrote docs/img/qgis-demo.png')

app.exitQgis()
sys.exit(1 if failed else 0)
