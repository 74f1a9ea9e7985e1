"""The expected JSON values of the pristine INI files, written out by hand."""

EXPECTED = {
    "app": {
        "name": "shop-frontend",
        "version": "2.4.1",
        "workers": 8,
        "debug": False,
        "server": {
            "host": "0.0.0.0",
            "port": 8080,
            "timeout": 12.5,
            "keepalive": True,
            "motd": "Welcome to the shop, have fun",
            "banner": "  padded  ",
            "tls": {
                "enabled": True,
                "cert": "/etc/shop/tls/cert.pem",
                "protocols": "TLSv1.2 TLSv1.3",
            },
        },
        "cache": {"backend": "redis", "ttl": 300, "ttl_jitter": -15, "ratio": 0.75},
    },
    "database": {
        "primary": {
            "host": "db1.internal",
            "port": 6432,
            "user": "shop",
            "password": "p@ss;word #1",
            "sslmode": "require",
            "pool": {"min": 2, "max": 20, "idle_timeout": 30.0},
        },
        "replica": {
            "host": "db2.internal",
            "port": 5433,
            "lag_alarm": 2.5,
            "pool": {"min": 1, "max": 10},
        },
    },
    "features": {
        "flags": {
            "new_checkout": True,
            "dark_mode": False,
            "beta_search": True,
            "legacy_api": False,
            "recommendations": False,
        },
        "strings": {
            "greeting": 'He said "hi" # not a comment',
            "path": "C:\\temp\\shop",
            "empty": "",
            "empty_quoted": "",
            "query": "a=b&c=d",
            "url": "https://example.com/a;b#frag",
            "quoted_number": "42",
            "quoted_bool": "true",
            "trailing": "kept as is",
            "code": "007",
            "hex": "0x1F",
            "sci": "1e3",
            "almost": "3.",
            "dotted.key": "literal dots stay in the key name",
            "version": "1.2.3",
        },
        "limits": {"max_items": 25, "min_price": -0.5, "discount": 0},
    },
    "logging": {
        "root": {"level": "INFO", "handlers": "console file"},
        "handlers": {
            "console": {"stream": "stdout", "format": "%(asctime)s %(levelname)s %(message)s"},
            "file": {
                "path": "/var/log/shop/app.log",
                "max_bytes": 10485760,
                "backup_count": 5,
                "rotate": True,
                "filters": {"exclude": "healthz;metrics", "sample_rate": 0.1},
            },
        },
    },
    "empty": {},
}
