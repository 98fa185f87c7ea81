<h1><?cs var:Lang.commitments.title ?></h1>
<p class="lead"><?cs var:Lang.commitments.lead ?></p>
<form class="filters" method="get" action="<?cs var:Page.Base ?>/commitments">
  <fieldset>
  <legend><?cs var:Lang.list.filters ?></legend>
  <?cs call:select("district", Lang.commitments.district, Choices.district, Filter.district) ?>
  <?cs call:select("area", Lang.commitments.area, Choices.area, Filter.area) ?>
  <?cs call:select("status", Lang.commitments.status, Choices.status, Filter.status) ?>
  <?cs if:Filter.subject_id ?><input type="hidden" name="subject" value="<?cs var:Filter.subject_id ?>"><?cs /if ?>
  <button type="submit"><?cs var:Lang.list.apply ?></button>
  <a class="reset" href="<?cs var:Page.Base ?>/commitments"><?cs var:Lang.list.reset ?></a>
  </fieldset>
</form>
<?cs if:Filter.subject_id ?>
<p class="notice" id="subject-filter"><?cs var:Lang.commitments.only ?> <a href="<?cs var:Page.Base ?>/subjects/<?cs var:Filter.subject.id ?>"><?cs var:Filter.subject.name ?></a> (<?cs var:Filter.subject.district_label ?>) · <a href="<?cs var:Filter.subject_clear ?>"><?cs var:Lang.commitments.all_subjects ?></a></p>
<?cs /if ?>

<section class="counts" aria-label="<?cs var:Lang.commitments.summary ?>">
  <div class="count"><strong id="total-all"><?cs var:Totals.all ?></strong><span><?cs var:Lang.commitments.total ?></span></div>
  <div class="count"><strong id="total-kept"><?cs var:Totals.kept ?></strong><span><?cs var:Lang.enum.commitment_status.kept ?></span></div>
  <div class="count"><strong id="total-broken"><?cs var:Totals.broken ?></strong><span><?cs var:Lang.enum.commitment_status.broken ?></span></div>
  <div class="count"><strong id="total-pending"><?cs var:Totals.pending ?></strong><span><?cs var:Lang.enum.commitment_status.pending ?></span></div>
  <div class="count"><strong id="total-subjects"><?cs var:Totals.subjects ?></strong><span><?cs var:Lang.commitments.subjects ?></span></div>
</section>

<section aria-labelledby="list-h">
<h2 id="list-h"><?cs var:Lang.commitments.list ?></h2>
<p class="total" id="total"><?cs var:Lang.list.total_pre ?> <strong><?cs var:Totals.all ?></strong> <?cs var:Lang.commitments.total_post ?> · <?cs var:Lang.list.page_pre ?> <?cs var:List.page ?> <?cs var:Lang.list.page_mid ?> <?cs var:List.pages ?> <?cs var:Lang.list.page_post ?></p>
<?cs if:List.count > 0 ?>
<div class="table-wrap"><table class="records commitments cards" id="commitments-table">
<thead><tr>
  <th scope="col"><?cs var:Lang.commitments.subject ?></th>
  <th scope="col"><?cs var:Lang.commitments.district ?></th>
  <th scope="col"><?cs var:Lang.commitments.area ?></th>
  <th scope="col"><?cs var:Lang.commitments.text ?></th>
  <th scope="col"><?cs var:Lang.commitments.promised_on ?></th>
  <th scope="col"><?cs var:Lang.commitments.status ?></th>
  <th scope="col"><?cs var:Lang.commitments.evidence ?></th>
</tr></thead>
<tbody>
<?cs each:c = Items ?>
<tr id="commitment-<?cs var:c.id ?>">
  <td class="line" data-label="<?cs var:Lang.commitments.subject ?>"><a href="<?cs var:Page.Base ?>/subjects/<?cs var:c.subject.id ?>"><?cs var:c.subject.name ?></a></td>
  <td data-label="<?cs var:Lang.commitments.district ?>"><?cs var:c.subject.district_label ?></td>
  <td data-label="<?cs var:Lang.commitments.area ?>"><span class="area"><?cs var:c.area_label ?></span></td>
  <td class="text" data-label="<?cs var:Lang.commitments.text ?>"><?cs var:c.text ?></td>
  <td class="date" data-label="<?cs var:Lang.commitments.promised_on ?>"><?cs var:c.promised_on ?></td>
  <td data-label="<?cs var:Lang.commitments.status ?>"><span class="cstatus cstatus-<?cs var:c.status ?>"><?cs var:c.status_label ?></span></td>
  <td class="evidence" data-label="<?cs var:Lang.commitments.evidence ?>"><?cs if:c.evidence ?><?cs var:c.evidence ?><?cs else ?><span class="note">—</span><?cs /if ?></td>
</tr>
<?cs /each ?>
</tbody>
</table></div>
<?cs else ?>
<p class="empty"><?cs var:Lang.commitments.empty ?></p>
<?cs /if ?>
<?cs if:List.capped ?><p class="note"><?cs var:Lang.commitments.capped ?></p><?cs /if ?>
<nav class="pager" aria-label="<?cs var:Lang.list.pager ?>">
<?cs if:List.prev ?><a rel="prev" href="<?cs var:List.prev ?>"><?cs var:Lang.list.prev ?></a><?cs /if ?>
<?cs each:g = Pager ?><?cs if:g.current ?><span class="current" aria-current="page"><?cs var:g.n ?></span><?cs else ?><a href="<?cs var:g.href ?>"><?cs var:g.n ?></a><?cs /if ?>
<?cs /each ?>
<?cs if:List.next ?><a rel="next" href="<?cs var:List.next ?>"><?cs var:Lang.list.next ?></a><?cs /if ?>
</nav>
</section>

<section aria-labelledby="counts-h">
<h2 id="counts-h"><?cs var:Lang.commitments.by_subject ?></h2>
<?cs if:subcount(Counts) > 0 ?>
<div class="table-wrap"><table class="records counts-table cards" id="counts-table">
<thead><tr>
  <th scope="col"><?cs var:Lang.commitments.subject ?></th>
  <th scope="col"><?cs var:Lang.commitments.district ?></th>
  <th scope="col" class="num"><?cs var:Lang.enum.commitment_status.kept ?></th>
  <th scope="col" class="num"><?cs var:Lang.enum.commitment_status.broken ?></th>
  <th scope="col" class="num"><?cs var:Lang.enum.commitment_status.pending ?></th>
  <th scope="col" class="num"><?cs var:Lang.commitments.total ?></th>
  <th scope="col" class="num"><?cs var:Lang.commitments.rate ?></th>
</tr></thead>
<tbody>
<?cs each:c = Counts ?>
<tr id="count-<?cs var:c.subject.id ?>">
  <th scope="row" data-label="<?cs var:Lang.commitments.subject ?>"><a href="<?cs var:c.href ?>"><?cs var:c.subject.name ?></a></th>
  <td data-label="<?cs var:Lang.commitments.district ?>"><?cs var:c.subject.district_label ?></td>
  <td class="num kept" data-label="<?cs var:Lang.enum.commitment_status.kept ?>"><?cs var:c.kept ?></td>
  <td class="num broken" data-label="<?cs var:Lang.enum.commitment_status.broken ?>"><?cs var:c.broken ?></td>
  <td class="num pending" data-label="<?cs var:Lang.enum.commitment_status.pending ?>"><?cs var:c.pending ?></td>
  <td class="num" data-label="<?cs var:Lang.commitments.total ?>"><?cs var:c.total ?></td>
  <td class="num" data-label="<?cs var:Lang.commitments.rate ?>"><?cs if:?c.rate ?><?cs var:c.rate ?>%<?cs else ?>—<?cs /if ?></td>
</tr>
<?cs /each ?>
</tbody>
</table></div>
<p class="note"><?cs var:Lang.commitments.rate_note ?></p>
<?cs else ?>
<p class="empty"><?cs var:Lang.commitments.empty ?></p>
<?cs /if ?>
</section>
