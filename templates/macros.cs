<?cs def:marked(segs) ?><?cs each:g = segs ?><?cs if:g.match ?><mark><?cs var:g.text ?></mark><?cs else ?><?cs var:g.text ?><?cs /if ?><?cs /each ?><?cs /def ?>
<?cs def:record_row(r) ?>
<tr>
  <td class="no"><a href="<?cs var:Page.Base ?>/records/<?cs var:r.no ?>"><?cs var:r.no ?></a></td>
  <td class="title line" data-label="<?cs var:Lang.list.record_title ?>"><a href="<?cs var:Page.Base ?>/records/<?cs var:r.no ?>"><?cs if:subcount(r.title_hl) > 0 ?><?cs call:marked(r.title_hl) ?><?cs else ?><?cs var:r.title ?><?cs /if ?></a><?cs if:r.status == "contested" ?> <span class="flag contested"><?cs var:r.status_label ?></span><?cs elif:r.status == "corrected" ?> <span class="flag corrected"><?cs var:r.status_label ?></span><?cs /if ?></td>
  <td class="line" data-label="<?cs var:Lang.list.subject ?>"><a href="<?cs var:Page.Base ?>/subjects/<?cs var:r.subject.id ?>"><?cs if:subcount(r.subject_hl) > 0 ?><?cs call:marked(r.subject_hl) ?><?cs else ?><?cs var:r.subject.name ?><?cs /if ?></a></td>
  <td data-label="<?cs var:Lang.list.district ?>"><?cs var:r.subject.district_label ?></td>
  <td data-label="<?cs var:Lang.list.category ?>"><?cs var:r.category_label ?></td>
  <td data-label="<?cs var:Lang.list.severity ?>"><span class="sev sev-<?cs var:r.severity ?>"><?cs var:r.severity_label ?></span></td>
  <td class="date" data-label="<?cs var:Lang.list.disclosed_on ?>"><?cs var:r.disclosed_on ?></td>
</tr>
<?cs /def ?>
<?cs def:record_table(list) ?>
<div class="table-wrap"><table class="records cards">
<thead><tr>
  <th scope="col"><?cs var:Lang.list.no ?></th>
  <th scope="col"><?cs var:Lang.list.record_title ?></th>
  <th scope="col"><?cs var:Lang.list.subject ?></th>
  <th scope="col"><?cs var:Lang.list.district ?></th>
  <th scope="col"><?cs var:Lang.list.category ?></th>
  <th scope="col"><?cs var:Lang.list.severity ?></th>
  <th scope="col"><?cs var:Lang.list.disclosed_on ?></th>
</tr></thead>
<tbody>
<?cs each:r = list ?><?cs call:record_row(r) ?><?cs /each ?>
</tbody>
</table></div>
<?cs /def ?>
<?cs def:select(name, label, choices, current) ?>
<label><span><?cs var:label ?></span>
<select name="<?cs var:name ?>">
  <option value=""><?cs var:Lang.list.any ?></option>
  <?cs each:c = choices ?><option value="<?cs var:c.code ?>"<?cs if:c.code == current ?> selected<?cs /if ?>><?cs var:c.label ?></option><?cs /each ?>
</select></label>
<?cs /def ?>
