<h1><?cs var:Lang.list.title ?></h1>
<form class="filters" method="get" action="<?cs var:Page.Base ?>/records">
  <fieldset>
  <legend><?cs var:Lang.list.filters ?></legend>
  <label><span><?cs var:Lang.list.q ?></span><input name="q" type="search" maxlength="100" value="<?cs var:Filter.q ?>"></label>
  <?cs call:select("district", Lang.list.district, Choices.district, Filter.district) ?>
  <?cs call:select("kind", Lang.list.kind, Choices.kind, Filter.kind) ?>
  <?cs call:select("category", Lang.list.category, Choices.category, Filter.category) ?>
  <?cs call:select("domain", Lang.list.domain, Choices.domain, Filter.domain) ?>
  <?cs call:select("severity", Lang.list.severity, Choices.severity, Filter.severity) ?>
  <?cs call:select("status", Lang.list.status, Choices.status, Filter.status) ?>
  <label><span><?cs var:Lang.list.from ?></span><input name="from" type="date" value="<?cs var:Filter.from ?>"></label>
  <label><span><?cs var:Lang.list.to ?></span><input name="to" type="date" value="<?cs var:Filter.to ?>"></label>
  <label><span><?cs var:Lang.list.sort ?></span><select name="sort">
    <option value="newest"<?cs if:Filter.sort == "newest" ?> selected<?cs /if ?>><?cs var:Lang.list.newest ?></option>
    <option value="oldest"<?cs if:Filter.sort == "oldest" ?> selected<?cs /if ?>><?cs var:Lang.list.oldest ?></option>
  </select></label>
  <button type="submit"><?cs var:Lang.list.apply ?></button>
  <a class="reset" href="<?cs var:Page.Base ?>/records"><?cs var:Lang.list.reset ?></a>
  </fieldset>
</form>
<?cs if:List.total_rel == "eq" ?>
<p class="total" id="total"><?cs var:Lang.list.total_pre ?> <strong><?cs var:List.total ?></strong> <?cs var:Lang.list.total_post ?> · <?cs var:Lang.list.page_pre ?> <?cs var:List.page ?> <?cs var:Lang.list.page_mid ?> <?cs var:List.pages ?> <?cs var:Lang.list.page_post ?></p>
<?cs elif:List.total_rel == "gt" ?>
<p class="total more" id="total" title="<?cs var:Lang.list.more_note ?>"><?cs var:Lang.list.more_pre ?> <strong><?cs var:List.total ?></strong> <?cs var:Lang.list.more_post ?> · <?cs var:Lang.list.page_pre ?> <?cs var:List.page ?> <?cs var:Lang.list.page_post ?></p>
<?cs else ?>
<p class="total more" id="total" title="<?cs var:Lang.list.atleast_note ?>"><?cs var:Lang.list.atleast_pre ?> <strong><?cs var:List.total ?></strong> <?cs var:Lang.list.atleast_post ?> · <?cs var:Lang.list.page_pre ?> <?cs var:List.page ?> <?cs var:Lang.list.page_post ?></p>
<?cs /if ?>
<p class="exports"><?cs var:Lang.list.export ?>:
  <a id="export-xlsx" href="<?cs var:Page.Base ?>/records.xlsx<?cs if:List.query ?>?<?cs var:List.query ?><?cs /if ?>"><?cs var:Lang.feed.xlsx ?></a>
  · <a id="export-csv" href="<?cs var:Page.Base ?>/records.csv<?cs if:List.query ?>?<?cs var:List.query ?><?cs /if ?>"><?cs var:Lang.feed.csv ?></a>
  · <a id="export-json" href="<?cs var:Page.Base ?>/api/v1/records<?cs if:List.query ?>?<?cs var:List.query ?><?cs /if ?>"><?cs var:Lang.feed.json ?></a>
  · <a id="export-atom" href="<?cs var:Page.Base ?>/feed.atom<?cs if:List.query ?>?<?cs var:List.query ?><?cs /if ?>"><?cs var:Lang.feed.subscribe ?></a></p>
<p class="exports" id="export-hint"><?cs var:Lang.list.export_hint ?></p>
<?cs if:List.count > 0 ?>
<?cs call:record_table(Records) ?>
<?cs else ?>
<p class="empty"><?cs var:Lang.list.empty ?></p>
<?cs /if ?>
<nav class="pager" aria-label="<?cs var:Lang.list.pager ?>">
<?cs if:List.prev ?><a rel="prev" href="<?cs var:List.prev ?>"><?cs var:Lang.list.prev ?></a><?cs /if ?>
<?cs if:List.next ?><a rel="next" href="<?cs var:List.next ?>"><?cs var:Lang.list.next ?></a><?cs /if ?>
</nav>
