<article class="gone">
<h1><?cs var:Lang.gone.title ?></h1>
<p class="lead"><?cs var:Lang.gone.lead ?></p>
<dl class="fields">
  <div><dt><?cs var:Lang.gone.no ?></dt><dd><span class="recno" id="gone-no"><?cs var:Gone.no ?></span></dd></div>
  <div><dt><?cs var:Lang.gone.state ?></dt><dd id="gone-state"><?cs var:Gone.state_label ?></dd></div>
  <div><dt><?cs var:Lang.gone.on ?></dt><dd id="gone-on"><?cs var:Gone.on ?></dd></div>
</dl>
<p class="note"><?cs var:Lang.gone.note ?></p>
</article>
