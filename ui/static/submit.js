// Runs in the page when a question is sent (the chat event's `js`), before the request: the box is emptied
// at once, so anything typed while the answer arrives is the user's and no reply ever overwrites it. The
// question sent is remembered: if the engine rejects it, latest.js puts it back in the box.
(question, turns, docs) => {
  const box = document.querySelector('#question textarea');
  if (box && typeof question === 'string' && question.trim() && box.value === question) {
    window.jhSent = question;
    box.value = '';
    box.dispatchEvent(new Event('input', {bubbles: true}));   // Gradio's textbox keeps its value in step
  }
  return [question, turns, docs];
}
