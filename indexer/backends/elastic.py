"""The scale-out backend: a real Elasticsearch 8.x through the official client.

The same pre-computed tokens as the embedded backend go into whitespace-analysed text fields, so both backends
match the same documents (no Elasticsearch analysis plugin needed). Indices are versioned (`{prefix}-v1`,
`{prefix}-v2`, …) behind the alias `{prefix}`, all created from one index template, so a mapping change or a
rebuild is a new index and an atomic alias swap, not an outage.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from itertools import islice
from typing import Any, TypeVar

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError, helpers
from pydantic import BaseModel, Field

from indexer.analysis import char_token_regex
from indexer.backends.base import (
    BackendUnavailable,
    DateRange,
    IndexStats,
    QuerySyntaxError,
    RecordPage,
    SearchFilters,
    SearchRequest,
    SearchResponse,
    SeriesNumber,
    SortOrder,
    WriteRejected,
)
from indexer.backends.document import (
    TEXT_FIELD_BOOST,
    TEXT_FIELDS,
    IndexDocument,
    lookup_field,
    to_index_document,
)
from indexer.backends.prefetch import prefetched
from indexer.backends.request import (
    FACET_SIZE,
    LOOKUP_LIMIT,
    SERIES_LIMIT,
    STATS_AGGREGATIONS,
    build_hit,
    column_filter_values,
    facet_buckets,
    offset_of,
    series_numbers_from_counts,
    site_stats,
    validate,
)
from indexer.config import split_hosts
from indexer.docno import series_prefixes
from indexer.health import ComponentHealth, HealthDetail, HealthStatus, worst
from indexer.query import ParsedQuery, Term
from indexer.schema import DisclosureRecord, RecordStatus

MAPPING_VERSION = 5
_TOKEN_FIELDS = [f"{name}_tok" for name in TEXT_FIELDS]
_LOOKUP_FIELDS = [lookup_field(name) for name in TEXT_FIELDS]
_FACET_FIELD = {
    "site": "site",
    "issuer": "issuer",
    "column": "column",
    "category": "category",
    "year": "year",
}
_SORT_FIELD = {SortOrder.published_date: "published_sort", SortOrder.written_date: "written_sort"}
_BULK_CHUNK = 500
_BULK_IN_FLIGHT = 2
_LEASE_TIMEOUT_SECONDS = 90.0
_MERGE_TIMEOUT_SECONDS = 6 * 3600.0  # merging a large shard takes long; the request waits for it
# the merge policy's own largest segment (index.merge.policy.max_merged_segment)
_MAX_SEGMENT_BYTES = 5 * 2**30
_T = TypeVar("_T")


class IndexSettings(BaseModel):
    """Shards, replicas and refresh interval of every index the backend creates.

    `replicas=None` lets the cluster choose: one replica as soon as it has a second data node
    (`auto_expand_replicas: 0-1`), so a single node stays green and a cluster survives losing one node.
    """

    shards: int = Field(default=1, ge=1)
    replicas: int | None = Field(default=None, ge=0)
    refresh_interval: str = "1s"

    def as_index_settings(self) -> dict[str, Any]:
        replicas: dict[str, Any] = (
            {"auto_expand_replicas": "0-1"}
            if self.replicas is None
            else {"number_of_replicas": self.replicas, "auto_expand_replicas": "false"}
        )
        return {"number_of_shards": self.shards, "refresh_interval": self.refresh_interval, **replicas}


def index_template(prefix: str, settings: IndexSettings | None = None) -> dict[str, Any]:
    """The index template every versioned index of `prefix` is created from."""
    settings = settings or IndexSettings()
    keyword = {"type": "keyword"}
    tokens = {"type": "text", "analyzer": "whitespace", "norms": True, "index_options": "positions"}
    # looked up as whole terms only: documents without frequencies or positions
    lookups = {"type": "text", "analyzer": "whitespace", "norms": True, "index_options": "docs"}
    text_properties = {name: tokens for name in _TOKEN_FIELDS} | {name: lookups for name in _LOOKUP_FIELDS}
    return {
        "index_patterns": [f"{prefix}-v*"],
        "priority": 100,
        "template": {
            "settings": {
                **settings.as_index_settings(),
                "max_result_window": 10_000,
                "codec": "best_compression",
            },
            "mappings": {
                "dynamic": "strict",
                "_meta": {"gongkai_mapping_version": MAPPING_VERSION},
                "_source": {"excludes": [*_TOKEN_FIELDS, *_LOOKUP_FIELDS]},
                "properties": {
                    "id": keyword,
                    "site": keyword,
                    "issuer": keyword,
                    "column": keyword,
                    "column_prefix": keyword,
                    "category": keyword,
                    "status": keyword,
                    "doc_number": keyword,
                    "issuer_code": keyword,
                    "cites": keyword,
                    "year": keyword,
                    "has_doc_number": {"type": "boolean"},
                    "ocr": {"type": "boolean"},
                    "doc_year": {"type": "integer"},
                    "serial": {"type": "integer"},
                    "published_sort": {"type": "long"},
                    "written_sort": {"type": "long"},
                    "published_date": {"type": "date", "format": "strict_date"},
                    "written_date": {"type": "date", "format": "strict_date"},
                    **text_properties,
                    "record": {"type": "object", "enabled": False},
                },
            },
        },
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _indexed_fields(document: IndexDocument) -> dict[str, Any]:
    """The Elasticsearch document of one record without the record itself."""
    return {
        "id": document.id,
        "site": document.site,
        "issuer": document.issuers,
        "column": document.column or None,
        "column_prefix": document.column_prefixes,
        "category": document.category,
        "status": document.status,
        "doc_number": document.doc_number,
        "issuer_code": document.issuer_code,
        "cites": document.cites,
        "year": document.year,
        "has_doc_number": bool(document.doc_number),
        "ocr": document.ocr,
        "doc_year": document.doc_year,
        "serial": document.serial,
        "published_sort": document.published_sort,
        "written_sort": document.written_sort,
        "published_date": _iso(document.published_date),
        "written_date": _iso(document.written_date),
        "title_tok": document.title_tokens,
        "body_tok": document.body_tokens,
        "att_tok": document.attachment_tokens,
        **document.lookups,
    }


def to_source(document: IndexDocument) -> dict[str, Any]:
    """The Elasticsearch document of one record."""
    return {**_indexed_fields(document), "record": json.loads(document.record_json)}


def source_bytes(document: IndexDocument) -> bytes:
    """`to_source` serialised, with the record's JSON spliced in as it is (not parsed and written again)."""
    fields = json.dumps(_indexed_fields(document), ensure_ascii=False, separators=(",", ":"))
    return f'{fields[:-1]},"record":{document.record_json}}}'.encode("utf-8", "surrogatepass")


def _as_is(action: tuple[dict[str, Any], bytes]) -> tuple[dict[str, Any], bytes]:
    return action


class ElasticsearchBackend:
    """Index `{index_prefix}` (an alias) on the Elasticsearch node or cluster at `url`.

    `url` is one node's URL, a comma-separated list of a cluster's nodes, or a list of them: requests go to the
    nodes in turn and a request that cannot reach one node is retried on the next.
    """

    name = "elasticsearch"

    def __init__(
        self,
        url: str | Sequence[str],
        index_prefix: str = "gongkai",
        *,
        index_settings: IndexSettings | None = None,
        request_timeout: float = 30.0,
        client: Elasticsearch | None = None,
    ) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", index_prefix):
            raise ValueError(f"invalid index prefix {index_prefix!r}: use lower-case letters, digits, . _ -")
        self.hosts = split_hosts(url) if isinstance(url, str) else [host.rstrip("/") for host in url]
        if not self.hosts:
            raise ValueError("no Elasticsearch URL given")
        self.url = ",".join(self.hosts)
        self.alias = index_prefix
        self.template_name = f"{index_prefix}-template"
        self.index_settings = index_settings or IndexSettings()
        self._request_timeout = request_timeout
        self._client = client or Elasticsearch(
            self.hosts,
            request_timeout=request_timeout,
            # a node that refuses the connection is skipped: try every other node once
            max_retries=max(1, len(self.hosts)),
            retry_on_timeout=False,
        )
        self._ready = False

    # plumbing

    def _call(self, action: str, function: Callable[[], _T]) -> _T:
        try:
            return function()
        except (TransportConnectionError, ConnectionTimeout) as error:
            raise BackendUnavailable(
                f"Elasticsearch at {self.url} is unreachable ({action}: {type(error).__name__}); "
                "is it running? (scripts/elasticsearch.sh start)"
            ) from error
        except ApiError as error:
            raise BackendUnavailable(
                f"Elasticsearch at {self.url} refused {action} (HTTP {error.meta.status}): {error.message}"
            ) from error
        except TransportError as error:
            raise BackendUnavailable(f"Elasticsearch at {self.url} failed ({action}): {error}") from error

    def ensure_index(self) -> None:
        """Create the template and the first versioned index with its alias when missing (idempotent).

        Raises BackendUnavailable when the index behind the alias has an older mapping than this code writes
        and queries: it has to be rebuilt (`gongkai reindex --backend elasticsearch`).
        """
        if self._ready:
            return
        self._ensure_template_and_alias()
        outdated = {
            name: version for name, version in self._mapping_versions().items() if version != MAPPING_VERSION
        }
        if outdated:
            found = ", ".join(f"{name} (v{version})" for name, version in sorted(outdated.items()))
            raise BackendUnavailable(
                f"the Elasticsearch index behind {self.alias!r} has an outdated mapping: {found}; this version "
                f"of gongkai needs mapping v{MAPPING_VERSION}. Rebuild it: gongkai reindex --backend elasticsearch"
            )
        self._ready = True

    def _mapping_versions(self) -> dict[str, int]:
        def fetch() -> dict[str, int]:
            mappings = self._client.indices.get_mapping(index=self.alias).body
            return {
                name: int(body.get("mappings", {}).get("_meta", {}).get("gongkai_mapping_version", 0))
                for name, body in mappings.items()
            }

        return self._call("reading the mapping", fetch)

    def _ensure_template_and_alias(self) -> None:

        def create() -> None:
            self._client.indices.put_index_template(
                name=self.template_name, **index_template(self.alias, self.index_settings)
            )
            if not self._client.indices.exists_alias(name=self.alias):
                if self._client.indices.exists(index=self.alias):
                    raise BackendUnavailable(
                        f"{self.alias!r} exists as a plain index on {self.url}; expected an alias. "
                        "Delete it or choose another GONGKAI_ELASTICSEARCH_INDEX"
                    )
                first = self.versioned_name(1)
                try:
                    self._client.indices.create(index=first, aliases={self.alias: {"is_write_index": True}})
                except ApiError as error:
                    if error.meta.status != 400 or "already_exists" not in str(error):
                        raise
                    self._client.indices.put_alias(index=first, name=self.alias)

        self._call("creating the index", create)

    def versioned_name(self, generation: int) -> str:
        return f"{self.alias}-v{generation}"

    def current_indices(self) -> list[str]:
        """The concrete indices behind the alias."""

        def fetch() -> list[str]:
            try:
                return sorted(self._client.indices.get_alias(name=self.alias).body)
            except NotFoundError:
                return []

        return self._call("reading the alias", fetch)

    def _generations(self) -> list[int]:
        def fetch() -> list[int]:
            try:
                names = self._client.indices.get(index=f"{self.alias}-v*").body
            except NotFoundError:
                return []
            found = []
            for name in names:
                match = re.fullmatch(rf"{re.escape(self.alias)}-v(\d+)", name)
                if match:
                    found.append(int(match.group(1)))
            return sorted(found)

        return self._call("listing indices", fetch)

    # bulk writing

    @staticmethod
    def _actions(index: str, documents: Iterable[IndexDocument]) -> Iterator[tuple[dict[str, Any], bytes]]:
        """Bulk action lines, serialised here (in the prefetch thread) rather than by the client."""
        for document in documents:
            yield {"index": {"_index": index, "_id": document.id}}, source_bytes(document)

    def bulk_into(self, index: str, records: Iterable[DisclosureRecord]) -> int:
        """Index records into a concrete index (or the alias); raises WriteRejected on item errors."""
        documents = (to_index_document(record) for record in records)
        return self.bulk_documents(index, documents)

    def bulk_documents(self, index: str, documents: Iterable[IndexDocument]) -> int:
        """Index documents into a concrete index (or the alias); raises WriteRejected on item errors.

        The documents (and the records behind them, when a generator builds them) are computed a chunk ahead
        while the engine indexes the chunks before, and `_BULK_IN_FLIGHT` bulk requests are in flight at once:
        one shard indexes a bulk request on one write thread, so a single request at a time leaves the node's
        other CPUs idle. A chunk holding an id that an unanswered chunk also holds waits for it, so the last
        version of a document written is the one that stays.
        """

        def run() -> int:
            done = 0
            failures: list[str] = []
            in_flight: deque[tuple[Future[tuple[int, list[str]]], set[str]]] = deque()

            def collect() -> None:
                nonlocal done
                future, _ids = in_flight.popleft()
                written, failed = future.result()
                done += written
                failures.extend(failed)

            actions = prefetched(self._actions(index, documents), _BULK_CHUNK)
            with ThreadPoolExecutor(max_workers=_BULK_IN_FLIGHT, thread_name_prefix="bulk") as pool:
                try:
                    while chunk := list(islice(actions, _BULK_CHUNK)):
                        ids = {action[0]["index"]["_id"] for action in chunk}
                        while in_flight and (
                            len(in_flight) >= _BULK_IN_FLIGHT or any(ids & sent for _, sent in in_flight)
                        ):
                            collect()
                        in_flight.append((pool.submit(self._send_chunk, chunk), ids))
                    while in_flight:
                        collect()
                finally:
                    actions.close()
            if failures:
                raise WriteRejected(
                    f"Elasticsearch rejected {len(failures)} of {done + len(failures)} documents; "
                    f"first: {failures[0]}"
                )
            return done

        return self._call("bulk indexing", run)

    def _send_chunk(self, chunk: list[tuple[dict[str, Any], bytes]]) -> tuple[int, list[str]]:
        """One bulk request (retried on 429): the documents written and the rejected items."""
        done = 0
        failures: list[str] = []
        for ok, item in helpers.streaming_bulk(
            self._client,
            chunk,
            expand_action_callback=_as_is,
            chunk_size=len(chunk),
            raise_on_error=False,
            raise_on_exception=True,
            max_retries=2,
            initial_backoff=1,
        ):
            if ok:
                done += 1
            else:
                failures.append(str(item)[:300])
        return done, failures

    def upsert(self, records: Iterable[DisclosureRecord]) -> int:
        """Index or replace records by id (ids are the document ids); visible after refresh()."""
        batch = list(records)
        if not batch:
            return 0
        self.ensure_index()
        return self.bulk_into(self.alias, batch)

    def delete(self, ids: Iterable[str]) -> int:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return 0
        self.ensure_index()

        def run() -> int:
            deleted = 0
            actions = ({"_op_type": "delete", "_index": self.alias, "_id": record_id} for record_id in wanted)
            for ok, item in helpers.streaming_bulk(
                self._client, actions, chunk_size=_BULK_CHUNK, raise_on_error=False
            ):
                result = item.get("delete", {})
                if ok and result.get("result") == "deleted":
                    deleted += 1
                elif not ok and result.get("status") != 404:
                    raise WriteRejected(f"Elasticsearch refused a delete: {str(item)[:300]}")
            return deleted

        return self._call("deleting", run)

    def refresh(self) -> None:
        self.ensure_index()
        self._call("refreshing", lambda: self._client.indices.refresh(index=self.alias))

    def generation(self) -> None:
        """None: other writers refresh the cluster at any time, so answers are not cached here (Elasticsearch
        keeps its own request cache)."""
        return None

    def clear(self) -> None:
        """Replace the index behind the alias by an empty one (no delete-by-query: it needs a module)."""
        self.swap_alias(self.create_next_index(), delete_old=True)

    def close(self) -> None:
        self._client.close()

    # health

    def health(self) -> ComponentHealth:
        """The cluster as an operator sees it, without touching the index.

        ok: green and every configured node answers; degraded: yellow (replica shards unassigned, e.g. a node
        left) or a configured node does not answer, while search and indexing still work; down: no node
        answers, or this index is red (a primary shard is missing, so some documents can be neither found nor
        written; another index being red only degrades).
        """
        details: dict[str, HealthDetail] = {
            "engine": "elasticsearch",
            "index": self.alias,
            "urls": self.hosts,
        }

        def read() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            client = self._client.options(request_timeout=min(self._request_timeout, 10.0))
            cluster = client.cluster.health().body
            nodes = client.cat.nodes(format="json", h="name,http_address,master,node.role").body
            return cluster, nodes

        try:
            cluster, nodes = self._call("reading the cluster health", read)
        except BackendUnavailable as error:
            return ComponentHealth(
                name="index", status=HealthStatus.down, essential=True, reason=str(error), details=details
            )
        unassigned = int(cluster.get("unassigned_shards", 0))
        details |= {
            "cluster_name": str(cluster.get("cluster_name", "")),
            "cluster_status": str(cluster.get("status", "")),
            "number_of_nodes": int(cluster.get("number_of_nodes", 0)),
            "number_of_data_nodes": int(cluster.get("number_of_data_nodes", 0)),
            "nodes": sorted(f"{node['name']} ({node['http_address']})" for node in nodes),
            "master": next((str(node["name"]) for node in nodes if node.get("master") == "*"), None),
            "active_shards": int(cluster.get("active_shards", 0)),
            "unassigned_shards": unassigned,
            "active_shards_percent": float(cluster.get("active_shards_percent_as_number", 0.0)),
        }
        status, reasons = HealthStatus.ok, []
        if cluster.get("status") == "red":
            red = self._red_indices()
            ours = sorted(set(red) & set(self.current_indices()))
            details["red_indices"] = red
            if ours:
                status = HealthStatus.down
                reasons.append(
                    f"cluster status red: {', '.join(ours)} misses a primary shard ({unassigned} shard(s) "
                    "unassigned), so some documents can be neither found nor written"
                )
            else:  # another index of a shared cluster: ours still answers
                status = HealthStatus.degraded
                reasons.append(
                    f"cluster status red in other indices ({', '.join(red)}); {self.alias} is complete"
                )
        elif cluster.get("status") != "green":
            status = HealthStatus.degraded
            reasons.append(
                f"cluster status {cluster.get('status')}: {unassigned} replica shard(s) unassigned "
                "(a node left, or too few nodes for the replicas)"
            )
        silent = self._silent_hosts() if len(self.hosts) > 1 else []
        details["unreachable_urls"] = silent
        if silent:
            status = worst([status, HealthStatus.degraded])
            reasons.append(
                f"{len(silent)} of {len(self.hosts)} configured nodes do not answer: {', '.join(silent)}"
            )
        return ComponentHealth(
            name="index", status=status, essential=True, reason="; ".join(reasons) or None, details=details
        )

    def _red_indices(self) -> list[str]:
        def fetch() -> list[str]:
            indices = self._client.cluster.health(level="indices").body.get("indices", {})
            return sorted(name for name, health in indices.items() if health.get("status") == "red")

        return self._call("reading the indices' health", fetch)

    def _silent_hosts(self) -> list[str]:
        """The configured node URLs that do not answer on their own (the pooled client hides them)."""
        silent = []
        for host in self.hosts:
            probe = Elasticsearch(host, request_timeout=3, max_retries=0)
            try:
                probe.cluster.health(local=True)
            except (TransportError, ApiError):
                silent.append(host)
            finally:
                probe.close()
        return silent

    def drop(self) -> None:
        """Delete every versioned index of this prefix and the template (tests and benchmarks)."""
        names = [self.versioned_name(generation) for generation in self._generations()]

        def run() -> None:
            if names:  # explicit names: clusters usually refuse wildcard deletes
                self._client.options(ignore_status=404).indices.delete(index=",".join(names))
            self._client.options(ignore_status=404).indices.delete_index_template(name=self.template_name)

        self._call("dropping the indices", run)
        self._ready = False

    # rebuilding

    def create_next_index(self) -> str:
        """A new empty versioned index (not yet behind the alias), for a rebuild (also of an outdated one)."""
        self._ensure_template_and_alias()
        generations = self._generations()
        name = self.versioned_name((generations[-1] if generations else 0) + 1)
        self._call(
            "creating a new index",
            lambda: self._client.indices.create(index=name, settings={"refresh_interval": "-1"}),
        )
        return name

    def compact(self, index: str, *, lease_timeout: float = _LEASE_TIMEOUT_SECONDS) -> bool:
        """Merge a freshly loaded index down and drop its `_recovery_source`; True when the retention leases had
        passed every operation before the merge (so each segment it rewrote lost the field).

        Our mapping leaves the token fields out of `_source`, so Elasticsearch also keeps each operation's full
        source (`_recovery_source`, about a third of the index right after loading) for as long as a shard
        copy's peer-recovery retention lease may still need the operation for an operations-based recovery.
        The primary moves those leases up to the global checkpoint on its retention-lease sync (every 30 s,
        not an index setting), and only a merge after that drops the field; ordinary merges rarely rewrite a
        freshly loaded index in time. So: wait for the leases (`lease_timeout`), then force-merge each shard
        into as few segments as keep every one below `_MAX_SEGMENT_BYTES` (no segment larger than the merge
        policy makes on its own, so later writes still merge normally). A shard that is already one segment
        is not rewritten (Lucene leaves a fully merged segment alone); only small indexes load into one.
        """

        def leases_passed() -> bool:
            shards = self._client.indices.stats(index=index, level="shards").body["indices"][index]["shards"]
            return all(
                lease["retaining_seq_no"] > copy["seq_no"]["max_seq_no"]
                for copies in shards.values()
                for copy in copies
                for lease in copy["retention_leases"]["leases"]
            )

        def run() -> bool:
            self._client.indices.flush(index=index)
            deadline = time.monotonic() + lease_timeout
            while not (passed := leases_passed()) and time.monotonic() < deadline:
                time.sleep(1)
            self._client.indices.flush(index=index, force=True)
            shards = self._client.indices.stats(index=index, level="shards", metric="store").body
            largest = max(
                (
                    copy["store"]["size_in_bytes"]
                    for copies in shards["indices"][index]["shards"].values()
                    for copy in copies
                ),
                default=0,
            )
            self._client.options(request_timeout=_MERGE_TIMEOUT_SECONDS).indices.forcemerge(
                index=index, max_num_segments=max(1, math.ceil(largest / _MAX_SEGMENT_BYTES))
            )
            return passed

        return self._call("compacting the index", run)

    def swap_alias(self, new_index: str, *, delete_old: bool = True) -> list[str]:
        """Point the alias at new_index in one atomic step; returns (and by default deletes) the old indices."""
        old = [name for name in self.current_indices() if name != new_index]

        def run() -> None:
            self._client.indices.put_settings(
                index=new_index, settings={"refresh_interval": self.index_settings.refresh_interval}
            )
            self._client.indices.refresh(index=new_index)
            actions: list[dict[str, Any]] = [
                {"add": {"index": new_index, "alias": self.alias, "is_write_index": True}}
            ]
            actions.extend({"remove": {"index": name, "alias": self.alias}} for name in old)
            self._client.indices.update_aliases(actions=actions)
            if delete_old and old:
                self._client.indices.delete(index=",".join(old))

        self._call("swapping the alias", run)
        self._ready = False  # check the new index's mapping on next use
        return old

    # reading

    def _search(self, **body: Any) -> dict[str, Any]:
        self.ensure_index()

        def run() -> dict[str, Any]:
            try:
                return self._client.search(index=self.alias, **body).body
            except BadRequestError as error:
                raise QuerySyntaxError(f"the search engine rejected the query: {error.message}") from error

        return self._call("searching", run)

    @staticmethod
    def _record_of(hit: dict[str, Any]) -> DisclosureRecord:
        return DisclosureRecord.model_validate(hit["_source"]["record"])

    def get(self, record_id: str) -> DisclosureRecord | None:
        self.ensure_index()

        def fetch() -> DisclosureRecord | None:
            try:
                found = self._client.get(index=self.alias, id=record_id, source_includes=["record"])
            except NotFoundError:
                return None
            return DisclosureRecord.model_validate(found["_source"]["record"])

        return self._call("reading a record", fetch)

    def _records(self, query: dict[str, Any], limit: int) -> list[DisclosureRecord]:
        if limit <= 0:
            return []
        body = self._search(
            query=query,
            size=min(limit, 10_000),
            sort=[{"published_sort": "desc"}],
            source_includes=["record"],
            track_total_hits=False,
        )
        return [self._record_of(hit) for hit in body["hits"]["hits"]]

    def lookup_doc_number(self, canonical: str) -> list[DisclosureRecord]:
        return self._records({"term": {"doc_number": canonical}}, LOOKUP_LIMIT)

    def citing(self, canonical: str, limit: int = 100) -> list[DisclosureRecord]:
        return self._records({"term": {"cites": canonical}}, limit)

    def citing_page(self, canonical: str, *, limit: int, offset: int = 0) -> RecordPage:
        """Records that cite `canonical` and do not hold it, newest first: `limit` from `offset`, and the total."""
        body = self._search(
            query={
                "bool": {
                    "filter": [{"term": {"cites": canonical}}],
                    "must_not": [{"term": {"doc_number": canonical}}],
                }
            },
            size=limit,
            from_=offset,
            sort=[{"published_sort": "desc"}],
            source_includes=["record"],
            track_total_hits=True,
        )
        return RecordPage(
            total=body["hits"]["total"]["value"],
            records=[self._record_of(hit) for hit in body["hits"]["hits"]],
        )

    def series_numbers(self, issuer_code: str, year: int) -> list[SeriesNumber]:
        """One query: terms aggregations over `doc_number` and `cites` restricted to the series' prefixes."""
        prefixes = series_prefixes(issuer_code, year)
        include = "|".join(f"{_regex_literal(prefix)}.*" for prefix in prefixes)

        def numbers(field: str) -> dict[str, Any]:
            return {"terms": {"field": field, "include": include, "size": SERIES_LIMIT}}

        body = self._search(
            query={
                "bool": {
                    "should": [
                        {"prefix": {field: prefix}}
                        for field in ("doc_number", "cites")
                        for prefix in prefixes
                    ],
                    "minimum_should_match": 1,
                }
            },
            size=0,
            track_total_hits=False,
            aggs={
                "holders": numbers("doc_number"),
                "withdrawn": {
                    "filter": {"term": {"status": RecordStatus.withdrawn.value}},
                    "aggs": {"holders": numbers("doc_number")},
                },
                "citing": numbers("cites"),
            },
        )
        aggregations = body["aggregations"]

        def counts(aggregation: dict[str, Any]) -> dict[str, int]:
            return {str(bucket["key"]): int(bucket["doc_count"]) for bucket in aggregation["buckets"]}

        return series_numbers_from_counts(
            issuer_code,
            year,
            counts(aggregations["holders"]),
            counts(aggregations["withdrawn"]["holders"]),
            counts(aggregations["citing"]),
        )

    def search(self, request: SearchRequest) -> SearchResponse:
        parsed = validate(request)
        sort_field = _SORT_FIELD.get(request.sort)
        sort: list[Any] = [{sort_field: "desc"}] if sort_field else [{"_score": "desc"}, {"id": "asc"}]
        aggregations = {
            name: {"terms": {"field": _FACET_FIELD[name], "size": FACET_SIZE}}
            for name in dict.fromkeys(request.facets)
        }
        body = self._search(
            query=self._build_query(parsed, request.filters),
            from_=offset_of(request),
            size=request.size,
            sort=sort,
            track_total_hits=True,
            track_scores=True,
            source_includes=["record"],
            aggs=aggregations or None,
        )
        hits = [
            build_hit(self._record_of(hit), None if sort_field else hit.get("_score"), parsed, request)
            for hit in body["hits"]["hits"]
        ]
        facets = {
            name: facet_buckets(
                (bucket["key"], bucket["doc_count"])
                for bucket in body.get("aggregations", {}).get(name, {}).get("buckets", [])
            )
            for name in aggregations
        }
        return SearchResponse(total=body["hits"]["total"]["value"], hits=hits, facets=facets)

    def stats(self) -> IndexStats:
        body = self._search(size=0, track_total_hits=True, aggs=STATS_AGGREGATIONS)
        sites = site_stats(body["aggregations"])
        return IndexStats(backend=self.name, total=body["hits"]["total"]["value"], sites=sites)

    # query translation

    @staticmethod
    def _term_query(term: Term) -> dict[str, Any]:
        plan = term.plan
        if plan.char is not None:
            pattern = char_token_regex(plan.char)
            return {
                "bool": {
                    "should": [{"regexp": {f"{name}_tok": {"value": pattern}}} for name in TEXT_FIELDS],
                    "minimum_should_match": 1,
                }
            }

        def phrase(query: str, suffix: str) -> dict[str, Any]:
            fields = [f"{name}_{suffix}^{TEXT_FIELD_BOOST[name]:g}" for name in TEXT_FIELDS]
            return {"multi_match": {"query": query, "type": "phrase", "fields": fields}}

        if plan.lookup_decides:
            return phrase(plan.lookup[0], "look")
        tokens = phrase(" ".join(plan.tokens), "tok")
        if not plan.lookup:
            return tokens
        # the phrase decides; the lookups only narrow the documents whose positions it checks
        return {"bool": {"must": [tokens], "filter": [phrase(token, "look") for token in plan.lookup]}}

    def _build_query(self, parsed: ParsedQuery, filters: SearchFilters) -> dict[str, Any]:
        must: list[dict[str, Any]] = []
        for clause in parsed.included:
            if len(clause.terms) == 1:
                must.append(self._term_query(clause.terms[0]))
            else:
                must.append(
                    {
                        "bool": {
                            "should": [self._term_query(t) for t in clause.terms],
                            "minimum_should_match": 1,
                        }
                    }
                )
        must_not = [self._term_query(clause.terms[0]) for clause in parsed.excluded]
        return {
            "bool": {
                "must": must or [{"match_all": {}}],
                "must_not": must_not,
                "filter": self._filters(filters),
            }
        }

    @staticmethod
    def _filters(filters: SearchFilters) -> list[dict[str, Any]]:
        clauses: list[dict[str, Any]] = []
        keyword_filters: list[tuple[str, list[Any]]] = [
            ("site", list(filters.site)),
            ("issuer", list(filters.issuer)),
            ("column_prefix", column_filter_values(filters.column)),
            ("category", list(filters.category)),
            ("issuer_code", list(filters.issuer_code)),
            ("status", [status.value for status in filters.status]),
            ("doc_year", [int(year) for year in filters.doc_year]),
        ]
        for field, values in keyword_filters:
            if values:
                clauses.append({"terms": {field: list(dict.fromkeys(values))}})
        if filters.column and not column_filter_values(filters.column):
            clauses.append({"bool": {"must_not": {"match_all": {}}}})
        if filters.has_doc_number is not None:
            clauses.append({"term": {"has_doc_number": filters.has_doc_number}})
        if filters.ocr is not None:
            clauses.append({"term": {"ocr": filters.ocr}})
        for field, bounds in (
            ("published_date", filters.published_date),
            ("written_date", filters.written_date),
        ):
            clause = _date_range(field, bounds)
            if clause:
                clauses.append(clause)
        return clauses


def _regex_literal(text: str) -> str:
    """`text` matched literally by a Lucene regular expression (every character outside letters, digits and CJK
    escaped)."""
    return "".join(char if char.isalnum() else f"\\{char}" for char in text)


def _date_range(field: str, bounds: DateRange) -> dict[str, Any] | None:
    if bounds.gte is None and bounds.lte is None:
        return None
    limits: dict[str, str] = {}
    if bounds.gte:
        limits["gte"] = bounds.gte.isoformat()
    if bounds.lte:
        limits["lte"] = bounds.lte.isoformat()
    return {"range": {field: limits}}
