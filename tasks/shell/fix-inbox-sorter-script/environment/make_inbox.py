"""Create a sample inbox to try the script on."""

import os

os.makedirs("/app/inbox", exist_ok=True)
os.makedirs("/app/sorted/pdf", exist_ok=True)
files = {
    "invoice-march.pdf": "pdf 1\n",
    "notes.txt": "some notes\n",
    "Holiday Photo.JPG": "jpeg\n",
    "backup.tar.gz": "tgz\n",
    "README": "readme\n",
}
for name, text in files.items():
    with open(os.path.join("/app/inbox", name), "w") as fh:
        fh.write(text)
with open("/app/sorted/pdf/invoice-march.pdf", "w") as fh:
    fh.write("older invoice\n")
