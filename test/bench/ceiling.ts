/**
 * The practical ceiling on this machine: bare Express + Handlebars rendering a 50-row table from one indexed query
 * on the same database (no sessions, no security headers, no layout partials). Every page of the application is
 * compared with its throughput.
 *   DATABASE_PATH=… PORT=… tsx test/bench/ceiling.ts
 */
import Database from 'better-sqlite3';
import express from 'express';
import Handlebars from 'handlebars';

const db = new Database(process.env.DATABASE_PATH, { readonly: true });
db.pragma('busy_timeout = 10000');
const rows = db.prepare(`select id, code, title, status, severity, detected_on from nonconformities where procedure_id = ? order by detected_on desc limit 50`);
const page = Handlebars.compile(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{title}}</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main><h1>{{title}}</h1>
<table class="table"><thead><tr><th>Mã</th><th>Tiêu đề</th><th>Trạng thái</th><th>Mức độ</th><th>Ngày phát hiện</th></tr></thead>
<tbody>{{#each rows}}<tr><td><a href="/nonconformities/{{id}}">{{code}}</a></td><td>{{title}}</td><td>{{status}}</td><td>{{severity}}</td><td>{{detected_on}}</td></tr>{{/each}}</tbody>
</table></main></body></html>`);

const app = express();
app.get('/ceiling', (req, res) => {
  const procedure = Number(req.query.procedure ?? 1);
  res.type('html').send(page({ title: 'Sự không phù hợp', rows: rows.all(procedure) }));
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ceiling listening'));
