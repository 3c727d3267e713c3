print("spool: placeholder")
