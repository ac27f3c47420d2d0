"""The crawler's extraction layer: one fetched detail page (bytes + URL + headers) → structured fields.

- `encoding.decode_html(body, content_type)` → `DecodedPage` (text, encoding, source, replaced)
- `page.extract_page(html, url, hints=None)` → `ExtractedPage`; never raises
- `page.build_record(page, url=…, site=…, column=…, category=…, fetched_at=…)` → `DisclosureRecord`
- `attachments.extract_attachment_text(data, filename=…, declared_type=…)` → `AttachmentText`

Modules: `labels` (label variants → fields), `scan` (the one walk over the tree), `metadata` (label/value
pairs), `scripts` (JS-held values, gkmlpt DETAIL), `title`, `body` (container + furniture), `links`.
"""
