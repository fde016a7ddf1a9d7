"""Django's Redis cache with one Redis client per connection pool, not one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call, and
building one sets up its response callbacks (about 170 dictionary entries): 0.3 ms each in
the profile of the empty frame, which makes two or three calls a page (the session, the
header's 待办 counts, the dashboard's kept body) and the API's throttle two. The client keeps
no state of its own beyond its pool (connections come from the pool per command; a
pipeline is a new object per call), so one per pool serves every call.
"""

from django.core.cache.backends import redis as django_redis


class ClientPerPool(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientPerPool
