// The exchange's dashboard: polls the admin API with the key kept in this tab's sessionStorage.
// Live figures every second; ledger-backed tables every five seconds. Text is always set with
// textContent, never parsed as HTML.
'use strict';

const KEY = 'leadex.adminKey';
const HISTORY = 120; // points on the charts: two minutes at one per second
let liveTimer = null;
let slowTimer = null;
let rateChart = null;
let latencyChart = null;

const $ = (id) => document.getElementById(id);

function key() { return sessionStorage.getItem(KEY); }

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: 'Bearer ' + key(), 'content-type': 'application/json' },
  });
  if (response.status === 401 || response.status === 403) {
    signOut('That key is not an admin key.');
    throw new Error('unauthorized');
  }
  if (!response.ok) {
    throw new Error(path + ': ' + response.status);
  }
  return response.json();
}

function fmt(value, digits = 0) {
  return value === null || value === undefined ? '–' : Number(value).toLocaleString('en-US',
    { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
function ms(value) { return value === null || value === undefined ? '–' : fmt(value, 1) + ' ms'; }
function pct(value) { return value === null || value === undefined ? '–' : fmt(value * 100, 1) + ' %'; }
function money(value) { return value === null || value === undefined ? '–' : '$' + fmt(value, 2); }

function fill(tableId, rows, cells, onClick) {
  const body = $(tableId).querySelector('tbody');
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement('tr');
    for (const cell of cells(row)) {
      const td = document.createElement('td');
      if (cell instanceof Node) {
        td.appendChild(cell);
      } else {
        td.textContent = cell;
      }
      tr.appendChild(td);
    }
    if (onClick) {
      tr.addEventListener('click', () => onClick(row));
    }
    return tr;
  }));
}

function chart(canvas, datasets, yTitle) {
  return new Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: datasets.map((d) => ({ ...d, data: [], pointRadius: 0, tension: 0.25 })) },
    options: {
      animation: false, maintainAspectRatio: false,
      scales: { x: { ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true, title: { display: true, text: yTitle } } },
      plugins: { legend: { position: 'top', align: 'end' } },
    },
  });
}

function push(target, label, values) {
  target.data.labels.push(label);
  values.forEach((v, i) => target.data.datasets[i].data.push(v));
  if (target.data.labels.length > HISTORY) {
    target.data.labels.shift();
    target.data.datasets.forEach((d) => d.data.shift());
  }
  target.update();
}

let buyerDocs = {};

async function refreshLive() {
  const live = await api('/v1/admin/dashboard/live');
  $('instance').textContent = 'instance ' + live.instance;
  $('updated').textContent = 'updated ' + new Date(live.at).toLocaleTimeString();
  $('pings-per-second').textContent = fmt(live.pings_per_second, 1);
  $('p50').textContent = ms(live.ping_latency_ms.p50);
  $('p99').textContent = ms(live.ping_latency_ms.p99);
  $('fill-rate').textContent = pct(live.fill_rate);
  $('revenue').textContent = money(live.revenue);
  $('pings-total').textContent = fmt(live.pings_total);
  const label = new Date(live.at).toLocaleTimeString();
  push(rateChart, label, [live.pings_per_second]);
  push(latencyChart, label, [live.ping_latency_ms.p50, live.ping_latency_ms.p99]);
  fill('buyers-table', live.buyers, (b) => {
    const doc = buyerDocs[b.buyer] || {};
    const circuit = document.createElement('span');
    circuit.textContent = b.circuit || '–';
    circuit.className = 'circuit-' + (b.circuit || 'none');
    return [b.buyer, doc.name || '', doc.status || (doc.name ? 'active' : ''), fmt(b.calls), fmt(b.bids), fmt(b.sales),
      pct(b.win_rate), fmt(b.timeouts) + (b.timeout_rate === null ? '' : ' (' + pct(b.timeout_rate) + ')'),
      ms(b.latency_ms.p99), circuit];
  });
}

async function refreshSlow() {
  const [revenue, pings, dead, buyers, campaigns] = await Promise.all([
    api('/v1/admin/dashboard/revenue?hours=24'),
    api('/v1/admin/dashboard/pings?limit=15'),
    api('/v1/admin/deliveries?status=dead&limit=50'),
    api('/v1/admin/buyers'),
    api('/v1/admin/campaigns'),
  ]);
  buyerDocs = Object.fromEntries(buyers.buyers.map((b) => [b.id, b]));
  fill('revenue-table', revenue.rows, (r) => [r.campaign, r.source || '(none)', fmt(r.posts), fmt(r.sold),
    pct(r.fill_rate), money(r.gross_revenue), money(r.revenue_per_lead)]);
  fill('campaigns-table', campaigns.campaigns, (c) => [c.id, c.vertical, fmt(c.ping_timeout_ms) + ' ms',
    money(c.floor), c.auction || 'first_price', (c.tiers || []).map((t) => t.mode).join(' → ')]);
  fill('pings-table', pings.pings, (p) => [new Date(p.received_at).toLocaleTimeString(), p.campaign, p.source,
    p.status + (p.test ? ' (test)' : ''), money(p.seller_price), p.winner || '–', fmt(p.answered_ms, 1)], showTrace);
  fill('dead-table', dead.deliveries, (d) => {
    const button = document.createElement('button');
    button.textContent = 'Resend';
    button.className = 'resend';
    button.addEventListener('click', async () => {
      button.disabled = true;
      await api('/v1/admin/deliveries/' + d.id + '/resend', { method: 'POST' });
      refreshSlow();
    });
    return [d.id, d.kind, d.buyer, d.lead_id.slice(0, 8) + '…', d.attempts + ' / ' + d.max_attempts,
      d.last_error || '', new Date(d.created_at).toLocaleTimeString(), button];
  });
}

async function showTrace(ping) {
  $('trace').textContent = 'loading ' + ping.ping_id + ' …';
  const trace = await api('/v1/admin/pings/' + ping.ping_id);
  $('trace').textContent = JSON.stringify(trace, null, 2);
}

function guarded(step) {
  return () => step().catch((e) => { if (e.message !== 'unauthorized') console.warn(e); });
}

function start() {
  $('login').hidden = true;
  $('board').hidden = false;
  $('logout').hidden = false;
  if (!rateChart) {
    rateChart = chart($('rate-chart'), [{ label: 'pings/s', borderColor: '#2f6fde' }], 'pings/s');
    latencyChart = chart($('latency-chart'), [{ label: 'p50 ms', borderColor: '#22a06b' },
      { label: 'p99 ms', borderColor: '#d9480f' }], 'ms');
  }
  guarded(refreshSlow)();
  guarded(refreshLive)();
  liveTimer = setInterval(guarded(refreshLive), 1000);
  slowTimer = setInterval(guarded(refreshSlow), 5000);
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  clearInterval(liveTimer);
  clearInterval(slowTimer);
  $('board').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('key').value.trim());
  $('key').value = '';
  try {
    await api('/v1/admin/dashboard/live');
    start();
  } catch (e) {
    if (e.message !== 'unauthorized') {
      $('login-error').textContent = 'The exchange did not answer: ' + e.message;
    }
  }
});
$('logout').addEventListener('click', () => signOut());

if (key()) {
  start();
} else {
  signOut();
}
