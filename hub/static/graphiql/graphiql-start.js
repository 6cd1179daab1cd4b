// The hub's own start-up for the vendored GraphiQL: no inline script, no CDN.
// ?query=, ?variables= and ?headers= prefill the editors (the demo's URL carries a token in
// headers); edits to the query and variables go back into the URL so it can be shared,
// headers never do (they hold tokens), and GraphiQL does not keep them in localStorage.
"use strict";

(function start() {
  const root = document.getElementById("graphiql");
  const params = new URLSearchParams(window.location.search);
  const endpoint = window.location.origin + window.location.pathname;
  const socket = new URL(endpoint);
  socket.protocol = socket.protocol === "https:" ? "wss:" : "ws:";

  const fetcher = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: socket.toString() });

  function remember(name, value) {
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(name, value); else next.delete(name);
    next.delete("q");
    const search = next.toString();
    history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
  }

  const element = React.createElement(GraphiQL, {
    fetcher,
    query: params.get("query") || params.get("q") || root.dataset.defaultQuery,
    variables: params.get("variables") || undefined,
    headers: params.get("headers") || undefined,
    defaultEditorToolsVisibility: Boolean(params.get("headers") || params.get("variables")),
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    inputValueDeprecation: true,
    onEditQuery: (value) => remember("query", value),
    onEditVariables: (value) => remember("variables", value),
  });
  ReactDOM.createRoot(root).render(element);
})();
