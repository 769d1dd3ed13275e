// Before hydration: the document language follows the reader's choice (cookie),
// so screen readers pronounce the page right from the first word.
(function () {
  var m = document.cookie.match(/(?:^|; )syros_lang=(el|en)(?:;|$)/);
  if (m) document.documentElement.lang = m[1];
})();
