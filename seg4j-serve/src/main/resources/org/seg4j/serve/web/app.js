// placeholder: the web page comes from branch i12-web
