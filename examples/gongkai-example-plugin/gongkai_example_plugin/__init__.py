"""Example gongkai plugin: the `example-newslist` platform adapter and the `example-scjgj` site."""
