"""Jiedao (街道): an open digital governance platform for Chinese urban subdistricts."""
