"""Hand computation of sql/evaluate.sql's county under the default rules.

Every parcel is a whole number of identical cells of A mu, so every per-mu
figure is (figure / cells) / A and every ratio to a pool benchmark is free of
A: the scores below are exact rationals.  Run: python3 test/hand/evaluate_county.py
"""
from fractions import Fraction as F

# firm: pool, net cells, tax, va, revenue, rd, staff, energy, emission, kwh, bonus, deduction
above = {
    'F1': (8, 160, 400, 2000, 60, 100, 200, 4, 10**6, 0, 0),
    'F2': (5, 50, 250, 1000, 10, 50, 100, 5, 5 * 10**5, 3, 0),
    'F3': (5, 100, 300, 1500, 45, 60, 150, None, 8 * 10**5, 0, 0),
    'F4': (4, 120, 200, 1200, 12, 40, 50, 2, 4 * 10**5, 0, 0),
    'F6': (2, 20, 60, 300, 3, 20, 40, 1, 10**5, 0, 2),
}
below = {'F7': (2, 12, 60000), 'F8': (3, 6, 50000), 'F10': (2, 2, 40000)}


def ratio(pairs):
    pairs = [(n, d) for n, d in pairs if n is not None and d not in (None, 0)]
    return F(sum(n for n, _ in pairs)) / sum(d for _, d in pairs) if pairs else None


ind = {  # indicator: (numerator index, denominator index); index 0 = cells
    'tax_per_mu': (1, 0), 'va_per_mu': (2, 0), 'va_per_energy': (2, 6),
    'va_per_emission': (2, 7), 'labour_productivity': (2, 5), 'rd_intensity': (4, 3)}
weight = {'tax_per_mu': 30, 'va_per_mu': 20, 'va_per_energy': 20, 'va_per_emission': 10,
          'labour_productivity': 10, 'rd_intensity': 10}
bench = {k: ratio([(f[n], f[d]) for f in above.values()]) for k, (n, d) in ind.items()}
for k, v in bench.items():
    print(f'benchmark above {k}: {float(v):.9f}' + (' / A' if ind[k][1] == 0 else ''))

scores = {}
for firm, f in above.items():
    s = {k: (weight[k] * max(F(0), ratio([(f[n], f[d])]) / bench[k]) if ratio([(f[n], f[d])]) is not None else None)
         for k, (n, d) in ind.items()}
    scores[firm] = s
mean_emission = sum(s['va_per_emission'] for s in scores.values() if s['va_per_emission'] is not None) / \
    len([1 for s in scores.values() if s['va_per_emission'] is not None])
total = {}
for firm, s in scores.items():
    if s['va_per_emission'] is None:
        s['va_per_emission'] = mean_emission
    total[firm] = sum(s.values()) + above[firm][9] - above[firm][10]
    print(firm, {k: f'{float(v):.6f}' for k, v in s.items()}, f'total {float(total[firm]):.6f}')

bb = {'tax_per_mu': ratio([(t, c) for c, t, _ in below.values()]),
      'tax_per_kwh': ratio([(t, k) for _, t, k in below.values()])}
for firm, (c, t, k) in below.items():
    s = 50 * F(t, c) / bb['tax_per_mu'] + 50 * F(t, k) / bb['tax_per_kwh']
    print(firm, f'tax {float(50 * F(t, c) / bb["tax_per_mu"]):.6f} kwh {float(50 * F(t, k) / bb["tax_per_kwh"]):.6f} total {float(s):.6f}')
