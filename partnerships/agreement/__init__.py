"""The agreement: what the partners sign. ``readable``: the agreed content laid out for people
(sign-off page, PDF); ``diff``: what differs between two versions, with the one table of labels
that every view of the content reads."""
