// Registers the service worker at once (Reflex inserts scripts after hydration,
// when the load event has already fired).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', {scope: '/'}).catch(function (e) {
    console.warn('service worker registration failed', e);
  });
}
