"""Scale-out on scrapy-redis: the shared frontier, the worker, the JSON request queue, the shard merge."""
