from ictb.cli import main

main()
