/* opedlens: tables a reader can search and sort. Inlined into every notebook page; no library, no network.
 *
 * Every table with a header and at least MIN_SORT_ROWS body rows gets sort buttons in its header cells (click,
 * Enter or Space: ascending, then descending; numbers sort as numbers). Tables with more than MIN_SEARCH_ROWS
 * rows also get a search box above them that keeps the rows containing every word typed.
 * Cell text is only ever read (textContent) and compared, never parsed as HTML.
 */
(function () {
  "use strict";
  var MIN_SORT_ROWS = 3;
  var MIN_SEARCH_ROWS = 8;
  var counter = 0;

  function text(cell) {
    return (cell ? cell.textContent : "").replace(/\s+/g, " ").trim();
  }

  function asNumber(value) {
    var cleaned = value.replace(/[\u2212\u2012\u2013]/g, "-").replace(/[,\s%]/g, "");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
    return parseFloat(cleaned);
  }

  /* Cells spanning several rows (pandas' grouped index) are copied into each row, so rows can move alone. */
  function unspan(body) {
    var carry = [];
    Array.prototype.forEach.call(body.rows, function (row) {
      var cells = Array.prototype.slice.call(row.cells);
      var col = 0;
      var i = 0;
      for (;;) {
        if (carry[col] && carry[col].left > 0) {
          var copy = carry[col].cell.cloneNode(true);
          copy.classList.add("opedlens-repeat");
          row.insertBefore(copy, i < cells.length ? cells[i] : null);
          carry[col].left -= 1;
          col += copy.colSpan;
          continue;
        }
        if (i >= cells.length) break;
        var cell = cells[i];
        i += 1;
        if (cell.rowSpan > 1) {
          carry[col] = { cell: cell, left: cell.rowSpan - 1 };
          cell.rowSpan = 1;
        }
        col += cell.colSpan;
      }
    });
  }

  function cellAt(row, column) {
    var col = 0;
    for (var i = 0; i < row.cells.length; i += 1) {
      if (col === column) return row.cells[i];
      col += row.cells[i].colSpan;
      if (col > column) return null;
    }
    return null;
  }

  function sortBy(table, body, column, th, button) {
    var rows = Array.prototype.slice.call(body.rows);
    var descending = th.getAttribute("aria-sort") === "ascending";
    var values = rows.map(function (row, index) {
      return { row: row, index: index, text: text(cellAt(row, column)) };
    });
    var numeric = values.every(function (v) {
      return v.text === "" || v.text === "–" || v.text === "NaN" || v.text === "None" || asNumber(v.text) !== null;
    }) && values.some(function (v) { return asNumber(v.text) !== null; });
    values.forEach(function (v) { v.number = numeric ? asNumber(v.text) : null; });
    values.sort(function (a, b) {
      var order;
      if (numeric) {
        if (a.number === null || b.number === null) {  // empty cells last, either way
          order = (a.number === null) - (b.number === null);
          return order || a.index - b.index;
        }
        order = a.number - b.number;
      } else {
        order = a.text.localeCompare(b.text, undefined, { numeric: true, sensitivity: "base" });
      }
      return (descending ? -order : order) || a.index - b.index;
    });
    values.forEach(function (v) { body.appendChild(v.row); });
    Array.prototype.forEach.call(table.querySelectorAll("thead th[aria-sort]"), function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    table.setAttribute("data-sorted-by", String(column));
  }

  function makeSortable(table, body) {
    Array.prototype.forEach.call(table.tHead.rows, function (headRow) {
      var column = 0;
      Array.prototype.forEach.call(headRow.cells, function (th) {
        var here = column;
        column += th.colSpan;
        var label = text(th);
        if (th.colSpan !== 1 || label === "" || th.tagName !== "TH") return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "opedlens-sort";
        while (th.firstChild) button.appendChild(th.firstChild);
        button.setAttribute("title", "Sort by " + label);
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, body, here, th, button); });
      });
    });
  }

  function makeSearchable(table, body) {
    counter += 1;
    var id = "opedlens-search-" + counter;
    var box = document.createElement("div");
    box.className = "opedlens-search";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Search this table";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.spellcheck = false;
    var status = document.createElement("span");
    status.className = "opedlens-search-status";
    status.setAttribute("aria-live", "polite");
    var total = body.rows.length;
    status.textContent = total + " rows";
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    table.parentNode.insertBefore(box, table);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var haystack = text(row).toLowerCase();
        var keep = words.every(function (w) { return haystack.indexOf(w) !== -1; });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      status.textContent = words.length ? shown + " of " + total + " rows" : total + " rows";
    });
  }

  function enhance(table) {
    var body = table.tBodies[0];
    if (!table.tHead || !body || body.rows.length < MIN_SORT_ROWS || table.classList.contains("opedlens-plain")) return;
    unspan(body);
    makeSortable(table, body);
    if (body.rows.length > MIN_SEARCH_ROWS) makeSearchable(table, body);
    table.classList.add("opedlens-interactive");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("main table"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
