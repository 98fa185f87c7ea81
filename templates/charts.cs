<?cs # An SVG bar chart from the numbers credit_chart.c computed: every
  coordinate is an integer from the HDF, every text escaped by var:.
  c: the chart node; id: the element id; title, desc: its name and summary;
  table: the id of the table that is its text alternative. ?><?cs
def:chart(c, id, title, desc, table) ?>
<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-<?cs var:c.kind ?>" id="<?cs var:id ?>" role="img" width="<?cs var:c.w ?>" height="<?cs var:c.h ?>" viewBox="0 0 <?cs var:c.w ?> <?cs var:c.h ?>" aria-labelledby="<?cs var:id ?>-title" aria-describedby="<?cs var:id ?>-desc <?cs var:table ?>">
<title id="<?cs var:id ?>-title"><?cs var:title ?></title>
<desc id="<?cs var:id ?>-desc"><?cs var:desc ?></desc>
<g class="grid"><?cs each:t = c.ticks ?>
<line x1="<?cs var:t.x1 ?>" y1="<?cs var:t.y1 ?>" x2="<?cs var:t.x2 ?>" y2="<?cs var:t.y2 ?>"/><text x="<?cs var:t.tx ?>" y="<?cs var:t.ty ?>" text-anchor="<?cs var:t.anchor ?>"><?cs var:t.text ?></text><?cs /each ?>
</g>
<g class="bars"><?cs each:b = c.bars ?>
<rect class="bar<?cs if:b.cls ?> <?cs var:b.cls ?><?cs /if ?>" x="<?cs var:b.x ?>" y="<?cs var:b.y ?>" width="<?cs var:b.w ?>" height="<?cs var:b.h ?>"><?cs if:b.tip ?><title><?cs var:b.tip ?></title><?cs /if ?></rect><?cs /each ?>
</g>
<line class="axis" x1="<?cs var:c.axis.x1 ?>" y1="<?cs var:c.axis.y1 ?>" x2="<?cs var:c.axis.x2 ?>" y2="<?cs var:c.axis.y2 ?>"/>
<g class="marks"><?cs each:m = c.marks ?>
<line x1="<?cs var:m.x1 ?>" y1="<?cs var:m.y1 ?>" x2="<?cs var:m.x2 ?>" y2="<?cs var:m.y2 ?>"/><text x="<?cs var:m.tx ?>" y="<?cs var:m.ty ?>" text-anchor="end"><?cs var:m.text ?></text><?cs /each ?>
</g>
<g class="labels"><?cs each:l = c.labels ?>
<text x="<?cs var:l.x ?>" y="<?cs var:l.y ?>" text-anchor="<?cs var:l.anchor ?>"<?cs if:l.rot == 1 ?> transform="rotate(-45 <?cs var:l.x ?> <?cs var:l.y ?>)"<?cs /if ?>><?cs var:l.text ?></text><?cs /each ?>
</g>
<g class="values"><?cs each:t = c.values ?>
<text x="<?cs var:t.x ?>" y="<?cs var:t.y ?>" text-anchor="<?cs var:t.anchor ?>"><?cs var:t.text ?></text><?cs /each ?>
</g>
</svg>
<?cs /def ?>
