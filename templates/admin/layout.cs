<?cs include:"admin/macros.cs" ?><?cs
# The staff pages' frame: their own navigation (the work queues), the
  language switch (?lang= sets the cookie that keeps the choice) and no
  script at all. ?><?cs
def:admin_lang_href(code) ?><?cs var:Page.Base ?><?cs var:Page.Path ?>?<?cs if:Page.Query ?><?cs var:Page.Query ?>&amp;<?cs /if ?>lang=<?cs var:code ?><?cs /def ?><!DOCTYPE html>
<html lang="<?cs var:Lang.code ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title><?cs if:Page.Title ?><?cs var:Page.Title ?> - <?cs /if ?><?cs var:Admin.site ?> - <?cs var:Lang.site ?></title>
<link rel="stylesheet" href="<?cs var:Page.Base ?>/static/css/credit.css">
</head>
<body class="admin admin-<?cs var:Page.Admin ?>">
<a class="skip" href="#main"><?cs var:Lang.skip ?></a>
<header class="site">
  <div class="wrap">
    <?cs if:Staff.none == "1" ?><span class="brand"><?cs else ?><a class="brand" href="<?cs var:Page.Base ?>/queues"><?cs /if ?><span class="brand-main"><?cs var:Lang.site ?></span> <span class="brand-sub"><?cs var:Admin.site ?></span><?cs if:Staff.none == "1" ?></span><?cs else ?></a><?cs /if ?>
    <nav aria-label="<?cs var:Admin.nav.label ?>">
      <?cs if:Staff.none != "1" ?><a href="<?cs var:Page.Base ?>/queues"<?cs if:Page.Admin == "queues" ?> aria-current="page"<?cs /if ?>><?cs var:Admin.nav.overview ?></a>
      <a href="<?cs var:Page.Base ?>/queues/complaints"<?cs if:Queue.kind == "complaint" ?> aria-current="page"<?cs /if ?>><?cs var:Admin.kind.complaint.queue ?></a>
      <a href="<?cs var:Page.Base ?>/queues/objections"<?cs if:Queue.kind == "objection" ?> aria-current="page"<?cs /if ?>><?cs var:Admin.kind.objection.queue ?></a>
      <a href="<?cs var:Page.Base ?>/queues/repairs"<?cs if:Queue.kind == "repair" ?> aria-current="page"<?cs /if ?>><?cs var:Admin.kind.repair.queue ?></a>
      <?cs /if ?>      <?cs if:Lang.code == "en" ?><a class="lang-switch" id="lang-switch" href="<?cs call:admin_lang_href("zh-CN") ?>" hreflang="zh-CN" lang="zh-CN">中文</a><?cs else ?><a class="lang-switch" id="lang-switch" href="<?cs call:admin_lang_href("en") ?>" hreflang="en" lang="en">English</a><?cs /if ?>
    </nav>
  </div>
</header>
<main id="main" class="wrap">
<p class="note" id="signed-in"><?cs var:Admin.signed_in ?> <?cs if:Staff.none == "1" ?><?cs var:Staff.user ?><?cs else ?><?cs var:Staff.name ?> (<?cs var:Staff.user ?>)<?cs if:Staff.city == "1" ?> · <?cs var:Admin.city_level ?><?cs /if ?><?cs /if ?></p>
<?cs include:Page.Template ?>
</main>
</body>
</html>
