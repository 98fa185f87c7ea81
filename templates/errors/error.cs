<article class="error">
<h1><?cs var:Error.Status ?> <?cs var:Lang.error[Error.Status] ?></h1>
<p><?cs var:Lang.error[Error.Status + "_text"] ?></p>
<?cs if:Error.Message ?><p class="detail" id="error-detail"><?cs var:Error.Message ?></p><?cs /if ?>
<p><a href="<?cs var:Page.Base ?>/"><?cs var:Lang.error.home ?></a></p>
</article>
