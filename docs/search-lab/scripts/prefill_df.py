#!/usr/bin/python3
"""E's document-frequency cache: one engine count (Mroonga MATCH only, count_skip) per
workload word into InnoDB lab_word_df. Prints the time per word (= the cost of a miss)."""
import designs, time, statistics
e = designs.E()
e.execute("DELETE FROM lab_word_df")
words = sorted({l.split('\t')[2] for l in open('/work/search-lab/words/workload.tsv').read().splitlines()[1:]})
ts = []
for w in words:
    t = time.perf_counter(); e.df(w); ts.append((time.perf_counter() - t) * 1000)
ts.sort()
print('%d words; miss cost ms p50 %.1f p99 %.1f max %.1f; total %.1f s' % (
    len(ts), ts[len(ts)//2], ts[int(len(ts)*.99)], ts[-1], sum(ts)/1000))
