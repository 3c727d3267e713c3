print("spool-bench: placeholder")
