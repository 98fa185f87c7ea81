<article class="receipt" id="receipt">
<h1><?cs var:Lang.receipt.title ?></h1>
<?cs if:Receipt.replayed ?><p class="notice" id="receipt-replayed"><?cs var:Lang.receipt.replayed ?></p><?cs /if ?>
<p class="lead"><?cs var:Lang.form[Receipt.kind].received ?></p>
<dl class="receipt-box">
  <div><dt><?cs var:Lang.receipt.no ?></dt><dd id="receipt-no"><?cs var:Receipt.no ?></dd></div>
  <?cs if:Receipt.code ?><div><dt><?cs var:Lang.receipt.code ?></dt><dd id="receipt-code"><?cs var:Receipt.code ?></dd></div><?cs /if ?>
  <div><dt><?cs var:Lang.receipt.date ?></dt><dd><?cs var:Receipt.date ?></dd></div>
  <?cs if:Receipt.record ?><div><dt><?cs var:Lang.form.concerns ?></dt><dd><?cs var:Receipt.record ?></dd></div><?cs /if ?>
</dl>
<?cs if:Receipt.code ?><p class="warn"><?cs var:Lang.receipt.keep ?></p><?cs else ?><p class="warn" id="receipt-code-withheld"><?cs var:Lang.receipt.code_withheld ?></p><?cs /if ?>
<p><?cs var:Lang.receipt.next ?> <a href="<?cs var:Page.Base ?>/complaints/status"><?cs var:Lang.receipt.lookup ?></a></p>
<p class="note"><?cs var:Lang.receipt.print ?></p>
</article>
