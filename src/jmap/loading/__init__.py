"""Text to model: journey files found, read, parsed with positions, and checked.

In the order data flows: `discover` finds the journey files a command names, `reading` reads
one without ever blocking on a FIFO or device, `yaml_reader` parses the text into a `document`
(plain values and the position of each, built by `values`), `includes` brings in the files a
journey includes, `loader` validates it into the model (jmap.model) and `references` checks
the ids it refers to, with `messages` wording pydantic's errors for people. `limits` keeps all
of it safe on hostile input. `starters` are the journeys `jmap init` writes.

Named `loading`, not `load`: `jmap.load` is the function that loads a journey. This module
imports nothing, so that the model can use `document` without the YAML parser.
"""
