// A search box over a long time-zone list (select[data-zone-search], reminders/views.py).
// Typing "oslo", "norway" or "sao paulo" narrows the list to the zones that match and selects the
// first of them unless the zone already chosen matches; that zone stays in the list either way,
// so it can be chosen again. Without this script the list works as it is: common zones first,
// then every region's.
(function () {
  "use strict";

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/_/g, " ").toLowerCase();
  }

  function enhance(select) {
    var groups = Array.prototype.map.call(select.querySelectorAll("optgroup"), function (group) {
      return {
        label: group.label,
        options: Array.prototype.map.call(group.querySelectorAll("option"), function (option) {
          return { value: option.value, text: option.textContent, words: plain(option.textContent + " " + option.value) };
        }),
      };
    });

    var field = document.createElement("div");
    field.className = "field";
    var label = document.createElement("label");
    label.htmlFor = select.id + "_search";
    label.textContent = select.dataset.zoneSearch;
    var input = document.createElement("input");
    input.type = "search";
    input.id = label.htmlFor;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("p");
    status.className = "helptext";
    status.id = select.id + "_search_status";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    field.append(label, input, status);
    var container = select.closest(".field") || select;
    container.parentNode.insertBefore(field, container);

    function show(query) {
      var words = plain(query).split(/\s+/).filter(Boolean);
      var chosen = select.value;
      var shown = 0;
      var first = null;
      var chosenMatches = false;
      var children = [];
      groups.forEach(function (group) {
        var element = document.createElement("optgroup");
        element.label = group.label;
        group.options.forEach(function (zone) {
          var matches = words.every(function (word) { return zone.words.indexOf(word) !== -1; });
          if (!matches && zone.value !== chosen) return;
          if (matches) {
            shown += 1;
            first = first || zone;
            chosenMatches = chosenMatches || zone.value === chosen;
          }
          var option = document.createElement("option");
          option.value = zone.value;
          option.textContent = zone.text;
          element.appendChild(option);
        });
        if (element.children.length) children.push(element);
      });
      select.replaceChildren.apply(select, children);
      var picked = first && words.length && !chosenMatches ? first : null;
      select.value = picked ? picked.value : chosen;
      if (!words.length) status.textContent = "";
      else if (!shown) status.textContent = "No time zone matches “" + query.trim() + "”: try a city or a country.";
      else {
        status.textContent = shown + (shown === 1 ? " time zone matches" : " time zones match") + " in the list below" +
          (picked ? "; selected: " + picked.text + "." : ".");
      }
    }

    input.addEventListener("input", function () { show(input.value); });
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault(); // Enter searches; it does not save the form
      select.focus();
    });
  }

  document.querySelectorAll("select[data-zone-search]").forEach(enhance);
})();
