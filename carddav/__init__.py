"""Kontor's organizations' contacts as CardDAV address books (RFC 6352), for phones and mail
programs: app passwords, discovery, reading, syncing (RFC 6578) and writing cards."""
