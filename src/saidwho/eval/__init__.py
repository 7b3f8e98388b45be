"""saidwho.eval: measuring the engine.

* :mod:`saidwho.eval.polnear` reads the PolNeAR corpus (brat standoff) into gold attributions;
* :mod:`saidwho.eval.scorer` scores system against gold (exact / overlap / direct-quote split);
* :mod:`saidwho.eval.run` runs the engine over a split and scores it;
* ``floors.json`` holds the quality gate's floors and the target figures.

Definitions are in ``docs/evaluation.md``.
"""
