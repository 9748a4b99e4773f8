"""What every app shares and that belongs to none of them: value parsing, text folding, views.

Nothing here imports an app of Kontor's; every app may import from here.
"""
