"""URL mixes for make bench, drawn from the database's own data.

    urls.py OUTDIR RECORDS.tsv TITLES.tsv

RECORDS.tsv: public record numbers (one per line); TITLES.tsv: titles (and
facts) of public records. Writes one file of paths per page kind into
OUTDIR: record, api_record (every given record), list, api_list and feed
(every combination of district x severity x category x domain, each filter
present or not, pages 1-3 for the lists), search and api_search (2- and
4-character words taken from the texts, the most common and the rarest
alike, alone and with one filter; each its own half of the words), crawler (every word with every district:
what a crawler would ask, for the readers' test), csv (one district with
every combination of the other filters) and csv_district (its largest: a
whole district, or a district and a severity). Prints how many of each."""
import collections
import random
import re
import sys
import urllib.parse

DISTRICTS = ["city", "heping", "hedong", "hexi", "nankai", "hebei", "hongqiao", "dongli", "xiqing",
             "jinnan", "beichen", "wuqing", "baodi", "binhai", "ninghe", "jinghai", "jizhou"]
SEVERITIES = ["minor", "general", "serious"]
CATEGORIES = ["judgment", "penalty", "discipline", "accountability", "breach"]
DOMAINS = ["procurement", "ppp", "bidding", "investment", "debt", "grassroots", "other"]
CJK = re.compile(r"[\u4e00-\u9fff]+")


def combos():
    for d in [None] + DISTRICTS:
        for s in [None] + SEVERITIES:
            for c in [None] + CATEGORIES:
                for m in [None] + DOMAINS:
                    yield {k: v for k, v in (("district", d), ("severity", s), ("category", c),
                                             ("domain", m)) if v}


def words(titles, rnd):
    """2- and 4-character words of the texts: the 600 most common of each
    length and 600 of the rarest (seen once), shuffled."""
    out = []
    for n in (2, 4):
        count = collections.Counter()
        for t in titles:
            for run in CJK.findall(t):
                for i in range(len(run) - n + 1):
                    count[run[i:i + n]] += 1
        common = [w for w, _ in count.most_common(600)]
        rare = [w for w, k in count.items() if k == 1]
        rnd.shuffle(rare)
        out += common + rare[:600]
    rnd.shuffle(out)
    return out


def write(outdir, name, paths):
    with open("%s/%s.urls" % (outdir, name), "w") as f:
        f.write("\n".join(paths) + "\n")
    print("%s: %d distinct paths" % (name, len(set(paths))))


def main():
    outdir, records_tsv, titles_tsv = sys.argv[1:4]
    rnd = random.Random(20261205)
    records = [l.strip() for l in open(records_tsv, encoding="utf-8") if l.strip()]
    titles = [l.strip() for l in open(titles_tsv, encoding="utf-8") if l.strip()]
    q = urllib.parse.urlencode
    write(outdir, "record", ["/credit/records/%s" % n for n in records])
    write(outdir, "api_record", ["/credit/api/v1/records/%s" % n for n in records])
    lists, apis, feeds = [], [], []
    for f in combos():
        feeds.append("/credit/feed.atom" + ("?" + q(f) if f else ""))
        for page in (1, 2, 3):
            g = dict(f, page=page) if page > 1 else f
            lists.append("/credit/records" + ("?" + q(g) if g else ""))
            # The API pages by cursor; a page number is the same question.
            apis.append("/credit/api/v1/records" + ("?" + q(g) if g else ""))
    write(outdir, "list", lists)
    write(outdir, "api_list", apis)
    write(outdir, "feed", feeds)
    ws = words(titles, rnd)
    one = [("district", DISTRICTS), ("severity", SEVERITIES), ("category", CATEGORIES),
           ("domain", DOMAINS)]

    def with_filter(w):
        name, values = rnd.choice(one)
        return {"q": w, name: rnd.choice(values)}
    # The HTML and the API searches ask different words: the answers the
    # per-child cache kept from the one run would serve the other.
    def asks(part):
        return [{"q": w} for w in part] + [with_filter(w) for w in part]
    write(outdir, "search", ["/credit/records?" + q(a) for a in asks(ws[0::2])])
    write(outdir, "api_search", ["/credit/api/v1/search?" + q(a) for a in asks(ws[1::2])])
    crawler = ["/credit/records?" + q({"q": w, "district": d}) for w in ws for d in DISTRICTS]
    rnd.shuffle(crawler)
    write(outdir, "crawler", crawler)
    # The CSV of one district: every combination of the other filters with
    # it (3,264 exports, most of a few hundred rows), and apart the largest
    # (a whole district, or a district and a severity: up to 39,000 rows).
    one_district = [f for f in combos() if "district" in f]
    # (in combos()' order: the first, which the hot run repeats, is the
    # same in every run: district=city, 8,433 rows at 1,000,000 records)
    write(outdir, "csv_district", ["/credit/records.csv?" + q(f) for f in one_district
                                   if set(f) <= {"district", "severity"}])
    csv = ["/credit/records.csv?" + q(f) for f in one_district]
    rnd.shuffle(csv)
    write(outdir, "csv", csv)


if __name__ == "__main__":
    main()
