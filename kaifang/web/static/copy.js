// kaifang copy buttons: each ".copyable" block holds a hidden button and a <pre>; with
// JavaScript the button shows, copies the block's text, and says so in the block's status
// line (a polite live region, so screen readers announce it). Labels come from the page.
(function () {
  "use strict";
  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    // plain http on a non-local address: the older way, through a selected text area
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    if (!done) throw new Error("copy refused");
  }
  document.querySelectorAll(".copyable").forEach((block) => {
    const button = block.querySelector("button.copy");
    const code = block.querySelector("pre");
    const status = block.querySelector(".copy-status");
    if (!button || !code || !status) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      status.textContent = "";
      try {
        await copy(code.textContent);
        status.textContent = button.dataset.done;
      } catch (error) {
        status.textContent = button.dataset.failed;
      }
    });
  });
})();
