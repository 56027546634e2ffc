"""Corpus-scale geoparsing on Dask: ``python -m geo batch INPUT… -o OUT``.

Many documents (JSON Lines, CSV, Parquet, folders of ``.txt``) → one row per place mention
(``doc_id, start, end, text, qualifier, name, kind, country, confidence, source`` and a point
``geometry``) in GeoParquet, or JSON Lines with ``lat``/``lon``. For each document the rows
are exactly ``geo.geoparse(text, online=False)``, in the same order; documents keep the input
order. Online lookups are never made in a batch (a 1 request/s service cannot serve a corpus).

How it runs
-----------
1. The client checks the inputs and cuts them into partitions of ``--partition-mb`` of input
   (``geo.batch.inputs``): byte ranges ending at a record boundary, runs of Parquet row
   groups, or runs of ``.txt`` files. It streams through each file once and keeps only the
   boundaries, so its memory does not grow with the corpus. The last partitions of the corpus
   are smaller and smaller (``part_size``), and partitions run largest first: when the work
   runs out, every worker is on a small one, so none waits long for the last.
2. One **Dask task per partition** (``client.submit`` of ``run_partition``, the largest
   partitions with the highest priority): on a worker it reads the slice, geoparses it and
   returns the bytes of one output part with its statistics. A worker therefore holds one
   slice and its mentions at a time — memory is bounded by the partition size, not the corpus
   size — and documents never travel between processes.
3. The client keeps each part as it arrives (``as_completed``) in ``OUT.parts/``, atomically,
   statistics last, so a killed run resumes from the parts already there; at the end it streams
   the parts into OUT and prints a summary, with where the time went (``timing``: the span,
   the tail, each worker's idle time, the CPU of task threads, of Dask's own threads and of
   the client).

A cluster the batch starts itself runs without Dask's statistical profiler and with slower
event-loop ticks and memory and system checks (``geo.batch.cli.LOCAL_DASK``): nothing shows
the dashboard, and on a small machine the client, scheduler and nannies share the workers'
cores.

Why tasks, not a Bag or a DataFrame: documents are irregular Python records, ``geoparse`` is
plain Python run once per document, and one document gives any number of mentions. A DataFrame
would add a pandas schema (``meta``), object columns and index machinery we never use, and it
cannot keep CSV or JSON Lines line numbers for error reports. The first version used a Bag
whose partitions were the slices; with one partition per task a Bag adds nothing but its
graph, and Dask then chose the order itself: the partitions' numbers in reverse text order
(9, 8, … 2, 11, 10, 1, 0), so the largest could run last and leave the other workers idle.
Tasks submitted with priorities run in the order we give, and each task is one input slice
and one resumable output part, so the two notions stay one. Dask still does all the
scheduling, retries after a lost worker and data placement.

The gazetteer index on workers
------------------------------
Workers **open their own copy** of the index, once per process (``geo.gazetteer.get_index`` is
a process-wide singleton; the run warms every worker up before the first task). The index is
not shipped over the network: it is a 40 MB SQLite file built from the installed data.

- *One machine* (``--workers N``): the client opens (and if needed builds) the index first, and
  the worker processes open the same file in the cache directory (``$CORDON_CACHE``, default
  ``~/.cache/cordon``).
- *Remote workers* (``--scheduler``): each host needs Cordon (same version) importable by its
  workers, and read access to the inputs at the same paths (a shared file system; workers
  write nothing — parts come back to the client). A host without the index builds it in its
  own cache on first use (15–40 s, once per host; concurrent builds are safe, each writes a
  temporary file and renames it). The index file name hashes the builder's version and the
  size and time of its input files, so hosts made from one image (same file times) look for
  the same name: copying ``~/.cache/cordon/geo-index-*.sqlite`` into their cache, or a shared
  ``CORDON_CACHE``, spares the build; other installs build their own. A run warns when the
  workers' index name differs from the client's.
- *User gazetteers* (``python -m geo gazetteer add``) live beside the index
  (``$CORDON_GAZETTEERS``, else ``gazetteers/`` in the cache) and count in every process at its
  next lookup: local workers share them; remote hosts need a copy of that folder (or the same
  ``CORDON_GAZETTEERS`` on a shared file system). They are part of the version compared above
  and of what a rerun checks before reusing parts.

``geopandas`` is imported only inside the functions that write GeoParquet, so ``import geo``
(and this package) stays light.
"""

__all__: list[str] = []
