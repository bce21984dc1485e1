// The kiosk's small browser helpers. Positioning frames arrive as JPEG bytes over the circuit and are shown
// through blob URLs (no base64 inflation); framesShown counts decoded frames, which the browser test reads.
window.spinescanKiosk = {
    framesShown: 0,

    showFrame(img, jpeg) {
        if (!img) {
            return;
        }
        if (!img.dataset.counting) {
            img.dataset.counting = "1";
            img.addEventListener("load", () => { window.spinescanKiosk.framesShown++; });
        }
        const previous = img.dataset.blobUrl;
        const url = URL.createObjectURL(new Blob([jpeg], { type: "image/jpeg" }));
        img.dataset.blobUrl = url;
        img.src = url;
        // The element keeps the previous picture's decoded pixels; its URL is no longer needed.
        if (previous) {
            URL.revokeObjectURL(previous);
        }
    },

    setLanguage(tag) {
        document.documentElement.lang = tag;
    },
};

// A bar-code scanner types like a keyboard. When the pupil list is shown and no text field has the focus (the
// screener just tapped a button), the first key of a scan moves the focus to the code field, so no digit is lost.
document.addEventListener("keydown", (e) => {
    const scan = document.getElementById("scan-code");
    const active = document.activeElement;
    const typing = active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA" || active.isContentEditable);
    if (scan && !typing && e.key.length === 1 && e.key !== " " && !e.ctrlKey && !e.altKey && !e.metaKey) {
        scan.focus();
    }
}, true);
