<?xml version="1.0" encoding="utf-8"?>
<?cs set:Mark.colon = Lang.feed.colon ?><?cs set:Mark.semicolon = Lang.feed.semicolon ?><?cs set:Mark.comma = Lang.feed.comma ?><?cs if:Lang.feed.spaced == 1 ?><?cs set:Mark.colon = Lang.feed.colon + " " ?><?cs set:Mark.semicolon = Lang.feed.semicolon + " " ?><?cs set:Mark.comma = Lang.feed.comma + " " ?><?cs /if ?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="<?cs var:Lang.code ?>">
  <id><?cs var:Feed.id ?></id>
  <title><?cs var:Lang.site ?> <?cs var:Lang.feed.title ?><?cs if:subcount(Feed.filter) > 0 ?><?cs if:Lang.feed.spaced == 1 ?> <?cs /if ?><?cs var:Lang.feed.open ?><?cs each:x = Feed.filter ?><?cs if:!first(x) ?><?cs var:Mark.semicolon ?><?cs /if ?><?cs var:Lang.list[x.param] ?><?cs var:Mark.colon ?><?cs var:x.value ?><?cs /each ?><?cs var:Lang.feed.close ?><?cs /if ?></title>
  <subtitle><?cs var:Lang.home.lead ?></subtitle>
  <updated><?cs var:Feed.updated ?></updated>
  <link rel="self" type="application/atom+xml" href="<?cs var:Feed.self ?>"/>
  <link rel="first" type="application/atom+xml" href="<?cs var:Feed.id ?>"/>
<?cs if:Feed.previous ?>  <link rel="previous" type="application/atom+xml" href="<?cs var:Feed.previous ?>"/>
<?cs /if ?><?cs if:Feed.next ?>  <link rel="next" type="application/atom+xml" href="<?cs var:Feed.next ?>"/>
<?cs /if ?>  <link rel="alternate" type="text/html" href="<?cs var:Feed.html ?>"/>
  <author><name><?cs var:Lang.site ?> <?cs var:Lang.portal ?></name><uri><?cs var:Feed.origin ?>/</uri></author>
  <generator>mod_credit</generator>
<?cs each:r = Records ?>  <entry>
    <id><?cs var:Feed.origin ?>/records/<?cs var:r.no ?></id>
    <title><?cs var:r.no ?> <?cs var:r.subject.name ?><?cs var:Mark.colon ?><?cs var:r.title ?></title>
    <link rel="alternate" type="text/html" href="<?cs var:Feed.origin ?>/records/<?cs var:r.no ?>"/>
    <published><?cs var:r.disclosed_on ?>T00:00:00+08:00</published>
    <updated><?cs var:r.updated ?></updated>
    <category term="<?cs var:r.category ?>" label="<?cs var:r.category_label ?>"/>
    <category term="<?cs var:r.severity ?>" label="<?cs var:r.severity_label ?>"/>
    <category term="<?cs var:r.subject.district ?>" label="<?cs var:r.subject.district_label ?>"/>
    <summary type="text"><?cs var:r.subject.name ?><?cs if:Lang.feed.spaced == 1 ?> <?cs /if ?><?cs var:Lang.feed.open ?><?cs var:r.subject.district_label ?><?cs var:Mark.comma ?><?cs var:r.category_label ?><?cs var:Mark.comma ?><?cs var:r.severity_label ?><?cs var:Lang.feed.close ?><?cs var:Mark.colon ?><?cs var:r.facts ?> <?cs var:Lang.record.decision_no ?><?cs var:Mark.colon ?><?cs var:r.decision_no ?><?cs var:Mark.semicolon ?><?cs var:Lang.record.disclosed_on ?><?cs var:Mark.colon ?><?cs var:r.disclosed_on ?><?cs var:Mark.semicolon ?><?cs var:Lang.record.withdraw_on ?><?cs var:Mark.colon ?><?cs var:r.withdraw_on ?><?cs var:Lang.feed.stop ?></summary>
  </entry>
<?cs /each ?></feed>
