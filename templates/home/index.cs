<section class="hero">
  <h1><?cs var:Lang.home.title ?></h1>
  <p class="lead"><?cs var:Lang.home.lead ?></p>
  <form class="search" method="get" action="<?cs var:Page.Base ?>/records" role="search">
    <label for="q"><?cs var:Lang.home.search_label ?></label>
    <input id="q" name="q" type="search" maxlength="100" placeholder="<?cs var:Lang.home.search_placeholder ?>">
    <button type="submit"><?cs var:Lang.home.search ?></button>
  </form>
</section>
<section class="counts" aria-label="<?cs var:Lang.home.total ?>">
  <div class="count"><strong id="count-total"><?cs var:Counts.total ?></strong><span><?cs var:Lang.home.total ?></span></div>
  <div class="count"><strong id="count-subjects"><?cs var:Counts.subjects ?></strong><span><?cs var:Lang.home.subjects ?></span></div>
  <?cs each:s = Counts.severity ?>
  <div class="count"><a href="<?cs var:Page.Base ?>/records?severity=<?cs var:s.code ?>"><strong><?cs var:s.n ?></strong><span><?cs var:s.label ?></span></a></div>
  <?cs /each ?>
</section>
<section>
  <h2><?cs var:Lang.home.latest ?></h2>
  <?cs call:record_table(Latest) ?>
  <p><a class="more" href="<?cs var:Page.Base ?>/records"><?cs var:Lang.home.all ?></a></p>
</section>
<section>
  <h2><?cs var:Lang.home.by_district ?></h2>
  <ul class="districts">
  <?cs each:d = Districts ?><li><a href="<?cs var:Page.Base ?>/records?district=<?cs var:d.code ?>"><?cs var:d.label ?></a></li><?cs /each ?>
  </ul>
</section>
