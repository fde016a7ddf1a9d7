// Forms (or their buttons) with data-confirm ask in the browser; on yes they post
// confirm=yes, which the server requires (disclosure/confirm.py). Without this script the
// server asks on a page of its own instead.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
  if (!question || form.querySelector("input[name=confirm]")) return;
  if (!window.confirm(question)) { event.preventDefault(); return; }
  var field = document.createElement("input");
  field.type = "hidden"; field.name = "confirm"; field.value = "yes";
  form.appendChild(field);
});
