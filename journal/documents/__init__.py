"""What goes out on paper and by e-mail: HTML and PDF machinery, the notebook runner and exporter,
paper copies with their register, letters to parents and their delivery."""
