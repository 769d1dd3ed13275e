// /staff/rolls: a chosen CSV file is read into the text area (UTF-8), so it can be checked before import.
if (!window.__syrosRollFile) {
  window.__syrosRollFile = true;
  document.addEventListener('change', function (ev) {
    var input = ev.target;
    if (!input || input.id !== 'roll-file' || !input.files || !input.files[0]) return;
    var reader = new FileReader();
    reader.onload = function () {
      var area = document.getElementById('roll-csv');
      if (area) { area.value = String(reader.result || ''); }
    };
    reader.readAsText(input.files[0], 'utf-8');
  });
}
