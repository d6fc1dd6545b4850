"""The build: journey files in, map files out, rendering only what changed.

`run.build()` reads as its steps: take the folder's lock (`lock`), plan what changed from the
manifest (`plan`, `manifest`), render that in worker processes (`rendering`, `workers`, with
the layout engine of `layout`), write each journey's files (`output`, atomically through
`write`), clean up what is no longer made, write the portfolio pages (`portfolio`), and save
the manifest. Nothing is imported here, so that a module that needs only `write` does not load
the whole build.
"""
