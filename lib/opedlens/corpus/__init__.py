"""The corpus stage: from the files a user points at to articles, paragraphs and sentences with ids.

``formats`` reads the text of each file (plain text, Markdown, HTML, or one table of many articles); ``clean``
removes scraping boilerplate, with an audit of what it removed; ``segment`` splits paragraphs into sentences
with offsets; ``language`` flags sentences that are not English; ``load`` puts them together
(:func:`opedlens.corpus.load.load_corpus`, :func:`opedlens.corpus.load.iter_articles`); ``describe`` gives the
first look of notebook 01 (length, sentence length, readability).
"""
