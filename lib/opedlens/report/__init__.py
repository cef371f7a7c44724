"""The report stage: the numbered notebooks run with papermill and published as offline HTML.

``parameters`` (the notebooks' declared parameters), ``pipeline`` (run them in order), ``kernels`` (warm Jupyter
kernels), ``output_folder`` (what a run may replace, and the swap), ``products`` (tables as CSV, figures as PNG +
SVG), ``plots`` and ``style`` (one look for every figure and table), ``sentiment_figures``, ``topic_figures`` and
``argument_figures`` (the figures of notebooks 02-04), ``summary`` (the findings in plain words), ``render`` (the
HTML pages).
"""
