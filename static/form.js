// İl/İlçe cascade: with JavaScript the district list follows the province
// at once; without it the "İlçeleri listele" button does the same on the
// server. Nothing else on the page needs this script.
(function () {
  'use strict';
  var il = document.getElementById('il');
  var ilce = document.getElementById('ilce');
  if (!il || !ilce || !window.fetch) return;
  var hide = document.querySelectorAll('.js-hide');
  for (var i = 0; i < hide.length; i++) hide[i].hidden = true;
  il.addEventListener('change', function () {
    var url = il.getAttribute('data-ilce-url') + '?il=' + encodeURIComponent(il.value);
    while (ilce.options.length > 1) ilce.remove(1);
    if (!il.value) return;
    fetch(url, { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (names) {
        names.forEach(function (name) {
          var o = document.createElement('option');
          o.value = name;
          o.textContent = name;
          ilce.appendChild(o);
        });
      });
  });
})();
