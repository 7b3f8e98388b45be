"""The three-label Viterbi written out gives the general loop's paths, ties included."""

import random

from saidwho.learn.perceptron import SequencePerceptron


def _general(trans, em, allowed):
    """The general loop's answer, through a four-label model whose fourth label is never
    allowed (so the written-out three-label code is not used)."""
    m = SequencePerceptron(["O", "S", "C", "X"])
    m.trans = [row + [0.0] for row in trans[:3]] + [[0.0] * 4] + [trans[3] + [0.0]]
    em4 = [row + [0.0] for row in em]
    allowed4 = [list(a) + [False] for a in allowed] if allowed else [[True, True, True, False] for _ in em]
    return m.viterbi(em4, allowed4)


def test_written_out_viterbi_matches_the_general_loop():
    rng = random.Random(7)
    m = SequencePerceptron(["O", "S", "C"])
    for case in range(600):
        small = case % 2 == 0  # small integers: many exact ties
        val = (lambda: float(rng.randint(-2, 2))) if small else (lambda: rng.uniform(-50, 50))
        m.trans = [[val() for _ in range(3)] for _ in range(4)]
        n = rng.randint(1, 12)
        em = [[val() for _ in range(3)] for _ in range(n)]
        allowed = [[rng.random() > 0.2 for _ in range(3)] for _ in range(n)] if case % 3 else None
        assert m.viterbi(em, allowed) == _general(m.trans, em, allowed), case
        bias = [0.0, 3.0, 3.0]
        assert m.viterbi(em, allowed, bias) == _general(m.trans, [[e + b for e, b in zip(r, bias)] for r in em], allowed)
