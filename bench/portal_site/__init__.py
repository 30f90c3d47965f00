"""The server side of the portal benchmark (``bench/portal.py``): its settings and its
URLconf (the product's URLs plus a bare view that exists only here)."""
