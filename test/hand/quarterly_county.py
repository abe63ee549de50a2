"""Hand computation of sql/quarterly.sql's county (evaluate_quarter()).

Five 规下 firms on parcels of equal area A; year-to-date tax t × A 万元 and
electricity 10 000 × m × A kWh (m: months to date), so per-mu tax is t and
every score is free of A.  亩均税收 (weight 50) against the fixed 12 万元/亩
a year prorated to 12 × m / 12; 单位电耗税收 (weight 50) against the pool's
Σtax / Σkwh.  Quotas 20/80/95 of five firms: A rank 1, B ranks 2–4, C rank 5.
A firm is warned (quarter_falling) when its latest quarter and the one before
each fell: a worse grade, or the same grade on a lower score.
Run: python3 test/hand/quarterly_county.py
"""
from fractions import Fraction as F
import math

ytd = {3: {'F1': 6, 'F2': 5, 'F3': 4, 'F4': 3, 'F5': 2},
       6: {'F1': 13, 'F2': 8, 'F3': 6, 'F4': 10, 'F5': 9},
       9: {'F1': 18, 'F2': 10, 'F3': 15, 'F4': 14, 'F5': 13}}


def round_half_up(x):
    return math.floor(x + F(1, 2))


def grades(scores, shares=(F(1, 5), F(4, 5), F(19, 20))):
    n = len(scores)
    limits = [round_half_up(n * s) for s in shares]
    out = {}
    for firm, s in scores.items():
        rank = 1 + sum(1 for t in scores.values() if t > s)
        out[firm] = 'ABCD'[sum(1 for lim in limits if rank > lim)]
    return out


result = {}
for m, t in ytd.items():
    fixed = F(12) * m / 12
    kwh_per_mu = 10000 * m
    pool = F(sum(t.values()), len(t) * kwh_per_mu)        # Σtax / Σkwh (equal areas)
    scores = {f: 50 * F(v) / fixed + 50 * (F(v, kwh_per_mu) / pool) for f, v in t.items()}
    g = grades(scores)
    result[m // 3] = (scores, g)
    print(f'Q{m // 3}: fixed benchmark {fixed} 万元/亩, pool {float(pool) * 1e4:.6f} 元/kWh')
    for f in sorted(scores, key=scores.get, reverse=True):
        print(f'  {f} t={t[f]:>2} score {float(scores[f]):8.3f} {g[f]}')


def fell(q, f):
    (s0, g0), (s1, g1) = result[q - 1], result[q]
    return g1[f] > g0[f] or (g1[f] == g0[f] and s1[f] < s0[f])


print('warned (fell in Q2 and Q3):', [f for f in ytd[3] if fell(2, f) and fell(3, f)])
