"""Scripts the subscribe page runs in the browser (Web Push needs the page's own
service worker and permission prompt, which the server cannot reach)."""

from __future__ import annotations

PUSH_SCRIPT = """
(async () => {
  const prefs = %s;
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  try {
    const registration = await navigator.serviceWorker.ready;
    const keyResponse = await fetch('/api/v1/push/vapid-public-key');
    const publicKey = (await keyResponse.json()).publicKey;
    const pad = '='.repeat((4 - publicKey.length %% 4) %% 4);
    const raw = atob((publicKey + pad).replace(/-/g, '+').replace(/_/g, '/'));
    const key = Uint8Array.from(raw, (c) => c.charCodeAt(0));
    let subscription = await registration.pushManager.getSubscription();
    if (!subscription) subscription = await registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key});
    const response = await fetch('/api/v1/push/subscriptions', {method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({subscription: subscription.toJSON ? subscription.toJSON() : subscription, ...prefs})});
    if (response.ok) return 'ok';
    const problem = await response.json().catch(() => ({}));
    return 'error:' + (problem.message || response.status);
  } catch (e) { return 'error:' + e; }
})()
"""

PUSH_OFF_SCRIPT = """
(async () => {
  if (!('serviceWorker' in navigator)) return 'off';
  const registration = await navigator.serviceWorker.ready;
  const subscription = registration.pushManager ? await registration.pushManager.getSubscription() : null;
  if (!subscription) return 'off';
  await fetch('/api/v1/push/subscriptions', {method: 'DELETE', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({endpoint: subscription.endpoint})});
  try { await subscription.unsubscribe(); } catch (e) {}
  return 'off';
})()
"""

PUSH_STATUS_SCRIPT = """
(async () => {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return 'unsupported';
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = registration && registration.pushManager ? await registration.pushManager.getSubscription() : null;
  if (!subscription) return 'off';
  const response = await fetch('/api/v1/push/subscription-status', {method: 'POST',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({endpoint: subscription.endpoint})});
  const status = await response.json();
  return status.subscribed ? 'on' : 'off';
})()
"""
