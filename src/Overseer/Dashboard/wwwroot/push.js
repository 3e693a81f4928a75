// "Notify this device": subscribes this browser to Web Push with the server's VAPID key and
// registers the subscription as a webpush channel of the signed-in user.
(function () {
  const button = document.getElementById("enable-push");
  const status = document.getElementById("push-status");
  if (!button) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    status.textContent = "This browser cannot receive push notifications.";
    button.disabled = true;
    return;
  }
  function key(base64url) {
    const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - base64url.length % 4) % 4));
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  }
  button.addEventListener("click", async function () {
    button.disabled = true;
    try {
      if (await Notification.requestPermission() !== "granted") throw new Error("notifications are blocked for this site");
      const registration = await navigator.serviceWorker.register("/sw.js");
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(button.dataset.key) });
      const response = await fetch("/ui/notifications/push", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": button.dataset.csrf },
        body: JSON.stringify(subscription.toJSON()),
      });
      if (!response.ok) throw new Error(await response.text());
      status.textContent = "This device will be notified.";
      location.reload();
    } catch (error) {
      status.textContent = "Could not subscribe: " + error.message;
      button.disabled = false;
    }
  });
})();
