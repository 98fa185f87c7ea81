<article class="form-page">
<h1><?cs var:Lang.form[Form.kind].title ?></h1>
<p class="lead"><?cs var:Lang.form[Form.kind].lead ?></p>
<?cs if:Record.no ?>
<p class="concerns"><?cs var:Lang.form.concerns ?>:<a href="<?cs var:Page.Base ?>/records/<?cs var:Record.no ?>"><?cs var:Record.no ?></a> <?cs var:Record.title ?>(<?cs var:Record.subject.name ?>)</p>
<?cs /if ?>
<?cs if:Form.banner ?><div class="banner banner-<?cs var:Form.banner ?>" role="alert" id="form-banner"><?cs var:Lang.form.banner[Form.banner] ?></div><?cs /if ?>
<form method="post" action="<?cs var:Form.action ?>" accept-charset="utf-8" class="citizen" novalidate>
  <input type="hidden" name="token" value="<?cs var:Form.token ?>">
  <div class="hp" aria-hidden="true"><label><?cs var:Lang.form.honeypot ?><input type="text" name="<?cs var:Form.honeypot ?>" value="" tabindex="-1" autocomplete="off"></label></div>
  <?cs each:f = Form.fields ?>
  <div class="field<?cs if:f.error ?> has-error<?cs /if ?>" id="field-<?cs var:f.name ?>">
    <?cs if:f.type == 7 ?>
    <label class="check"><input type="checkbox" name="<?cs var:f.name ?>" value="1"<?cs if:f.value == "1" ?> checked<?cs /if ?><?cs if:f.error ?> aria-invalid="true" aria-describedby="err-<?cs var:f.name ?>"<?cs /if ?>> <?cs var:f.label ?><?cs if:f.required ?> <span class="req">*</span><?cs /if ?></label>
    <?cs else ?>
    <label for="in-<?cs var:f.name ?>"><?cs var:f.label ?><?cs if:f.required ?> <span class="req" title="<?cs var:Lang.form.required ?>">*</span><?cs else ?> <span class="opt">(<?cs var:Lang.form.optional ?>)</span><?cs /if ?></label>
    <?cs if:f.type == 1 ?>
    <textarea id="in-<?cs var:f.name ?>" name="<?cs var:f.name ?>" rows="<?cs if:f.max > 2000 ?>10<?cs else ?>4<?cs /if ?>" maxlength="<?cs var:f.max ?>"<?cs if:f.error ?> aria-invalid="true" aria-describedby="err-<?cs var:f.name ?>"<?cs /if ?>><?cs var:f.value ?></textarea>
    <?cs elif:f.type == 6 ?>
    <select id="in-<?cs var:f.name ?>" name="<?cs var:f.name ?>"<?cs if:f.error ?> aria-invalid="true" aria-describedby="err-<?cs var:f.name ?>"<?cs /if ?>>
      <option value=""><?cs var:Lang.form.choose ?></option>
      <?cs each:c = f.choices ?><option value="<?cs var:c.code ?>"<?cs if:c.code == f.value ?> selected<?cs /if ?>><?cs var:c.label ?></option><?cs /each ?>
    </select>
    <?cs else ?>
    <input id="in-<?cs var:f.name ?>" name="<?cs var:f.name ?>" value="<?cs var:f.value ?>" maxlength="<?cs var:f.max ?>"<?cs if:f.type == 2 ?> type="date"<?cs elif:f.type == 3 ?> type="tel" inputmode="tel"<?cs elif:f.type == 4 ?> type="email"<?cs else ?> type="text"<?cs /if ?><?cs if:f.error ?> aria-invalid="true" aria-describedby="err-<?cs var:f.name ?>"<?cs /if ?>>
    <?cs /if ?>
    <?cs /if ?>
    <?cs if:f.error ?><p class="error" id="err-<?cs var:f.name ?>"><?cs var:f.error ?></p><?cs /if ?>
  </div>
  <?cs /each ?>
  <p class="privacy"><?cs var:Lang.form.privacy ?></p>
  <button type="submit"><?cs var:Lang.form.submit ?></button>
</form>
</article>
