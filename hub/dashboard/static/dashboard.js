// The dashboard: one query to the public graph with the user's token, drawn as SVG.
// Data only ever reaches the page through textContent, never as markup.
"use strict";

const TOKEN_KEY = "koperasi-hub-token";
const MONTHS = 12;
const SVG = "http://www.w3.org/2000/svg";

const DASHBOARD_QUERY = `
query Dashboard($from: String!, $to: String!) {
  byMonth: spend(filter: {period: {from: $from, to: $to}, groupBy: MONTH}) { ...Report }
  byRegion: spend(filter: {period: {from: $from, to: $to}, groupBy: REGION}) { ...Report }
  byScale: spend(filter: {period: {from: $from, to: $to}, groupBy: SCALE}) { ...Report }
  rfqs(filter: {status: OPEN}, first: 20) {
    edges { node { id title deadline quoteCount items { description quantity unit } } }
  }
}
fragment Report on SpendReport {
  total { amount }
  umkmTotal { amount }
  umkmShare
  groups { key label total { amount } umkmTotal { amount } }
}`;

function token() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const fromUrl = fragment.get("token");
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    history.replaceState(null, "", window.location.pathname);  // keep it out of the bar
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const monthOf = (date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}`;

// The months the chosen period covers. The hub checks them (backwards, too long, not a
// month) and answers BAD_USER_INPUT, so its rule is the only one.
function period(kind, now, from, to) {
  if (kind === "year") return { from: `${now.getFullYear()}-01`, to: monthOf(now) };
  if (kind === "custom") return { from: from.trim(), to: to.trim() };
  const start = new Date(now.getFullYear(), now.getMonth() - (MONTHS - 1), 1);
  return { from: monthOf(start), to: monthOf(now) };
}

function chosenPeriod() {
  return period(
    document.getElementById("period-kind").value,
    new Date(),
    document.getElementById("period-from").value,
    document.getElementById("period-to").value,
  );
}

async function graphql(accessToken, query, variables) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Accept": "application/graphql-response+json",
      "Authorization": `Bearer ${accessToken}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) {
    const [first] = body.errors;
    const code = first.extensions && first.extensions.code ? `${first.extensions.code}: ` : "";
    throw new Error(code + first.message);
  }
  return body.data;
}

const rupiah = new Intl.NumberFormat("id-ID", { style: "currency", currency: "IDR", maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("id-ID", { notation: "compact", maximumFractionDigits: 1 });

function element(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// Horizontal bars: the whole spend of each group, and its UMKM part over it where the
// figures say it (PaDi does not split its monthly and regional figures by scale).
function barChart(figure, groups) {
  figure.replaceChildren();
  if (!groups.length) {
    const empty = document.createElement("p");
    empty.className = "muted";
    empty.textContent = "No spend in this period.";
    figure.append(empty);
    return;
  }
  const row = 26, labelWidth = 170, width = 720, barWidth = width - labelWidth - 90;
  const largest = Math.max(...groups.map((g) => g.total.amount), 1);
  const svg = element("svg", { viewBox: `0 0 ${width} ${groups.length * row + 8}`, role: "img" });
  svg.append(element("title", {}, `${figure.dataset.chart} spend`));
  groups.forEach((group, index) => {
    const y = index * row + 4;
    const all = (group.total.amount / largest) * barWidth;
    svg.append(element("text", { x: 0, y: y + 15 }, group.label));
    svg.append(element("rect", {
      class: "bar", x: labelWidth, y, width: Math.max(all, 1), height: row - 8,
      "data-key": group.key, "data-amount": group.total.amount,
    }));
    const umkm = (group.umkmTotal.amount / largest) * barWidth;
    svg.append(element("rect", {
      class: "bar umkm", x: labelWidth, y, width: umkm, height: row - 8,
      "data-key": group.key, "data-amount": group.umkmTotal.amount,
    }));
    svg.append(element("text", { x: labelWidth + all + 6, y: y + 15 }, compact.format(group.total.amount)));
  });
  const legend = document.createElement("figcaption");
  legend.className = "legend";
  for (const [kind, text] of [["bar", "all suppliers"], ["bar umkm", "UMKM (mikro, kecil, menengah)"]]) {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.className = kind === "bar" ? "swatch" : "swatch umkm";
    item.append(swatch, text);
    legend.append(item);
  }
  figure.append(svg, legend);
}

function rfqTable(edges) {
  const body = document.querySelector("#rfqs tbody");
  body.replaceChildren();
  if (!edges.length) {
    const cell = document.createElement("td");
    cell.colSpan = 4;
    cell.className = "muted";
    cell.textContent = "No open RFQs.";
    body.append(document.createElement("tr"));
    body.lastChild.append(cell);
    return;
  }
  for (const { node } of edges) {
    const tr = document.createElement("tr");
    const items = node.items.map((i) => `${i.description} (${i.quantity} ${i.unit})`).join(", ");
    const deadline = new Date(node.deadline).toLocaleString("id-ID");
    for (const text of [node.title, items, deadline, String(node.quoteCount)]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  }
}

function show(data, range) {
  const report = data.byMonth;
  document.getElementById("period").textContent = `${range.from} – ${range.to}`;
  document.getElementById("total").textContent = rupiah.format(report.total.amount);
  document.getElementById("umkm-total").textContent = rupiah.format(report.umkmTotal.amount);
  document.getElementById("umkm-share").textContent = `${(report.umkmShare * 100).toFixed(1)} %`;
  barChart(document.getElementById("chart-month"), data.byMonth.groups);
  barChart(document.getElementById("chart-region"), data.byRegion.groups);
  barChart(document.getElementById("chart-scale"), data.byScale.groups);
  rfqTable(data.rfqs.edges);
  document.getElementById("content").hidden = false;
}

let currentToken = null;

// Shows the period's figures; on an error the figures already shown stay as they were.
async function load(accessToken, range) {
  const status = document.getElementById("status");
  status.classList.remove("error");
  status.textContent = "Loading…";
  document.body.dataset.state = "loading";
  try {
    if (!range.from || !range.to) throw new Error("BAD_USER_INPUT: choose both months (YYYY-MM)");
    show(await graphql(accessToken, DASHBOARD_QUERY, range), range);
    status.textContent = "";
    document.body.dataset.state = "ready";
  } catch (error) {
    status.textContent = error.message;
    status.classList.add("error");
    document.body.dataset.state = "error";
  }
}

function signedIn(accessToken) {
  currentToken = accessToken;
  document.getElementById("period-form").hidden = false;
  load(accessToken, chosenPeriod());
}

function start() {
  const form = document.getElementById("token-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = document.getElementById("token").value.trim();
    sessionStorage.setItem(TOKEN_KEY, value);
    form.hidden = true;
    signedIn(value);
  });
  const kind = document.getElementById("period-kind");
  kind.addEventListener("change", () => {
    const custom = kind.value === "custom";
    document.getElementById("period-custom").hidden = !custom;
    if (custom && !document.getElementById("period-from").value) {
      // Start the custom range from the period on screen.
      const shown = period("last12", new Date());
      document.getElementById("period-from").value = shown.from;
      document.getElementById("period-to").value = shown.to;
    }
    if (!custom && currentToken) load(currentToken, chosenPeriod());
  });
  document.getElementById("period-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (currentToken) load(currentToken, chosenPeriod());
  });
  const accessToken = token();
  if (accessToken) {
    signedIn(accessToken);
  } else {
    form.hidden = false;
    document.getElementById("status").textContent = "Paste an access token to see the dashboard.";
  }
}

start();
